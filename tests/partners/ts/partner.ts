// A partner's code against the types openapi-typescript generates from openapi/v1.yaml
// (tests/partners/test_typescript.py generates ./api.ts beside this file and runs tsc --strict).
// Each `@ts-expect-error` must stay an error: if the schema turned loose (`any`, open objects,
// lost nulls), tsc reports the directive unused and the test fails.
import type { components, paths, webhooks } from "./api";

type Schemas = components["schemas"];
type Json<P extends keyof paths, M extends "get" | "post" = "get"> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;

type AnatomyDetail = Json<"/api/v1/anatomy/{slug}/">;
type Causes = Json<"/api/v1/causes/">;

export function parentName(structure: AnatomyDetail): string {
  // A nullable reference is "reference or null": null must be handled, and the reference typed.
  if (structure.parent === null) {
    return "(top level)";
  }
  return structure.parent.name;
}

export function reviewLabel(structure: AnatomyDetail): string {
  const role: Schemas["ReviewerRoleEnum"] | null = structure.reviewer_role;
  return role === null ? "not reviewed" : role;
}

export function firstCause(page: Causes): string | undefined {
  return page.results[0]?.slug;
}

// 304: no body, the validators in headers.
type NotModified = paths["/api/v1/causes/"]["get"]["responses"][304];
export function etagOf(response: NotModified): string {
  return response.headers.ETag;
}

// The change notice webhook partners receive.
type ChangeNotice =
  webhooks["contentChange"]["post"]["requestBody"]["content"]["application/json"];
export function changedFields(notice: ChangeNotice): string[] {
  const url: string | null = notice.data.url; // null once removed
  return url === null ? [] : notice.data.changes.map((change) => `${change.field}:${change.grade}`);
}

// The self-check answer (POST).
export function topUrgency(answer: Json<"/api/v1/self-check/", "post">): string {
  return answer.top_urgency ?? "none";
}

export const strictness = (structure: AnatomyDetail, page: Causes) => {
  // @ts-expect-error parent may be null: using it unchecked is an error
  const unchecked: string = structure.parent.name;
  // @ts-expect-error a slug is never null
  const noSlug: AnatomyDetail["slug"] = null;
  // @ts-expect-error objects are closed: an undeclared key is not there
  const extra = page.not_a_key;
  // @ts-expect-error enums are closed
  const elbow: Schemas["AnatomyKindEnum"] = "elbow";
  // @ts-expect-error a 304 has no body
  const body: NotModified["content"]["application/json"] = {};
  return [unchecked, noSlug, extra, elbow, body];
};
