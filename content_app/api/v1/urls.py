from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView


class PlaceholderRoot(APIView):
    def get(self, request):
        return Response({})


urlpatterns = [path("", PlaceholderRoot.as_view(), name="root")]
