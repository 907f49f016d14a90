"""Webhook subscriptions of the calling API client (docs/architecture.md §17, api/webhooks.py):
`GET/POST /api/v1/webhooks/`, `DELETE /api/v1/webhooks/{id}/`.

A client sees and deletes only its own subscriptions; another client's id is a 404 like an id
that does not exist. Only an API client subscribes: a delivery goes to another system, and what
it hears of is decided by that client's machine user (an officer's session has no such system).
"""

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from . import webhooks
from .models import ApiClient
from .parsers import JSONParser
from .schema import problems


class SubscriptionInput(serializers.Serializer):
    url = serializers.CharField(max_length=2000, help_text="Địa chỉ nhận (https://; http chỉ cho máy cục bộ).")
    actions = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, max_length=100,
        help_text="Tên các thao tác trên hồ sơ muốn nhận (như trong /dossiers/{code}/actions/); "
                  "bỏ trống: mọi sự kiện.")


class SubscriptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    actions = serializers.ListField(child=serializers.CharField(), help_text="Rỗng: mọi sự kiện.")
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class CreatedSubscriptionSerializer(SubscriptionSerializer):
    secret = serializers.CharField(help_text="Khóa ký HMAC-SHA256 của thông báo; chỉ hiện một lần, ở đây.")


def _out(subscription) -> dict:
    return {"id": subscription.pk, "url": subscription.url, "actions": subscription.actions,
            "active": subscription.active, "created_at": subscription.created_at}


def _client(request) -> ApiClient:
    if not isinstance(request.auth, ApiClient):
        raise PermissionDenied(_("Chỉ hệ thống khác (dùng mã truy cập API) mới đăng ký nhận thông báo."))
    return request.auth


class WebhookCollection(APIView):
    operation = "webhooks.manage"
    parser_classes = [JSONParser]

    @extend_schema(operation_id="webhooks_list", tags=["webhooks"],
                   summary="Các đăng ký nhận thông báo của ứng dụng gọi",
                   responses={200: SubscriptionSerializer(many=True), **problems(401, 403, 406)})
    def get(self, request):
        client = _client(request)
        return Response([_out(s) for s in webhooks.subscriptions_of(client)])

    @extend_schema(operation_id="webhooks_create", tags=["webhooks"],
                   summary="Đăng ký nhận thông báo sự kiện hồ sơ",
                   description="Mỗi sự kiện trên hồ sơ ứng dụng được xem được gửi POST (JSON) tới `url`, "
                               "kèm X-MotCua-Event, X-MotCua-Message-Id (để bỏ bản trùng) và "
                               "X-MotCua-Signature: sha256=<HMAC-SHA256 của nội dung với `secret`>.",
                   request=SubscriptionInput,
                   responses={201: CreatedSubscriptionSerializer, **problems(400, 401, 403, 406, 415)})
    def post(self, request):
        client = _client(request)
        data = SubscriptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        subscription, secret = webhooks.subscription_create(
            client=client, url=data.validated_data["url"], actions=data.validated_data.get("actions"))
        return Response({**_out(subscription), "secret": secret}, status=201)


class WebhookItem(APIView):
    operation = "webhooks.manage"

    @extend_schema(operation_id="webhooks_delete", tags=["webhooks"], summary="Hủy một đăng ký",
                   parameters=[OpenApiParameter("id", OpenApiTypes.STR, OpenApiParameter.PATH,
                                                description="Mã đăng ký.")],
                   responses={204: OpenApiResponse(description="Đã hủy."), **problems(401, 403, 404, 406)})
    def delete(self, request, id):
        client = _client(request)
        if not id.isascii() or not id.isdigit() or len(id) > 18:
            raise Http404
        if not webhooks.subscription_delete(client=client, pk=int(id)):
            raise Http404
        return Response(status=204)


urlpatterns = [
    path("webhooks/", WebhookCollection.as_view(), name="webhooks"),
    path("webhooks/<str:id>/", WebhookItem.as_view(), name="webhook"),
]
