"""Operations: how the service behaves for operators and under outages (README, Operations).

- `health`: liveness and readiness endpoints (django-health-check).
- `outages`: a database outage becomes a 503 problem (API) or a plain 503 page, with
  Retry-After; `breaker` and `postgresql`/`redis` make outages fail fast instead of slowly.
- `requestlog`: request ids on every log line and response, slow-request warnings.
- `metrics`: Prometheus metrics for operators, not public.
- `login`: bounded password hashing for admin sign-in (django-axes does the lockout).
"""
