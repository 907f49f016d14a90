"""The API's dossier writes (docs/architecture.md §3, §17): counter reception and every action.

One small view per operation: it parses its input serializer into the service's arguments, calls
the SAME service as the desk (`dossiers.services`), and renders the dossier's new state. The
service asks the policy and refuses with its Vietnamese reason (403 not permitted, 422 a legal
guard or an illegal transition, with the clause — api/errors.py). The dossier is found through
the authorisation selector: an outsider gets 404, never learns that a code exists. Every write
honours `Idempotency-Key` (api/idempotency.py).
"""

from __future__ import annotations

import json

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import parts_of
from motcua.dossiers import policy, selectors, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantInput, PaperInput
from motcua.uploads import PDF, check_content

from . import write_serializers as s
from .idempotency import HEADER, dossier_key, idempotent
from .schema import problems

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER, str, OpenApiParameter.HEADER, required=False,
    description="Khóa chống gửi lặp (nên gửi): gửi lại cùng khóa và cùng nội dung nhận lại đúng câu trả lời đầu "
                "tiên (tiêu đề Idempotent-Replayed: true), không tạo hồ sơ thứ hai.",
)
WRITE_PROBLEMS = (400, 401, 403, 404, 406, 415, 422)


def dossier_for(request, code: str) -> Dossier:
    """The dossier `code` (any letter case) among those the caller may read, else 404."""
    if not code or len(code) > 64 or "\x00" in code:
        raise Http404
    try:
        return selectors.dossier_get(request.user, code=code.upper())
    except Dossier.DoesNotExist:
        raise Http404 from None


def state(request, pk: int, *, status: int = 200, headers=None) -> Response:
    dossier = Dossier.objects.select_related(
        "procedure_version__procedure", "current_agency", "current_step").get(pk=pk)
    return Response(s.DossierStateSerializer(dossier, context={"request": request}).data, status=status,
                    headers=headers)


def _agency(code: str, field: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise serializers.ValidationError({field: _("Không có cơ quan mã “%(code)s”.") % {"code": code}})
    return agency


def _checked(sent: s.SentFile, *, label: str, field: str, kinds=None) -> tuple[bytes, str]:
    """The one upload check of every channel (motcua.uploads): content, not name, decides."""
    kind = check_content(sent.content, label=label, filename=sent.name, field=field,
                         **({"kinds": kinds} if kinds else {}))
    return sent.content, kind.content_type


# --- POST /dossiers/ ---------------------------------------------------------------------------


class DossierCreateView(APIView):
    """Counter reception by the officer (or API client) acting at a desk: the dossier is received
    now and its legal clock starts, exactly as at the desk's intake form."""

    operation = "dossiers.create"

    @extend_schema(
        operation_id="dossier_create",
        summary="Tiếp nhận hồ sơ tại Bộ phận Một cửa",
        parameters=[IDEMPOTENCY_PARAMETER],
        request={"application/json": s.DossierCreateSerializer,
                 "multipart/form-data": s.DossierCreateMultipartSerializer},
        responses={201: s.DossierStateSerializer, **problems(400, 401, 403, 406, 415, 422)},
    )
    def post(self, request):
        payload = self._payload(request)
        data = s.DossierCreateSerializer(data=payload)
        data.is_valid(raise_exception=True)
        return idempotent(request, lambda: self._create(request, data.validated_data))

    @staticmethod
    def _payload(request):
        """The JSON document; in multipart, the part `dossier` with each paper's `file_part` replaced
        by the file part it names."""
        if hasattr(request.data, "getlist"):  # multipart or a form
            text = request.data.get("dossier")
            if not isinstance(text, str):
                raise serializers.ValidationError({"dossier": _("Thiếu phần “dossier” (hồ sơ dạng JSON).")})
            try:
                payload = json.loads(text)
            except (ValueError, RecursionError):  # nested thousands deep: RecursionError
                raise serializers.ValidationError({"dossier": _("Phần “dossier” không phải JSON hợp lệ.")}) from None
            if not isinstance(payload, dict):
                raise serializers.ValidationError({"dossier": _("Phần “dossier” phải là một đối tượng JSON.")})
            papers = payload.get("papers")
            for i, paper in enumerate(papers if isinstance(papers, list) else []):
                if isinstance(paper, dict) and "file_part" in paper:
                    upload = request.FILES.get(str(paper["file_part"]))
                    if upload is None:
                        raise serializers.ValidationError({f"papers[{i}].file_part": _(
                            "Không có phần tệp mang tên này trong yêu cầu.")})
                    paper["file"] = upload
            return payload
        return request.data

    @staticmethod
    def _desk(request, data) -> Agency:
        if data.get("receiving_agency"):
            return _agency(data["receiving_agency"], "receiving_agency")
        desk = policy.agencies_for(request.user, "receive").first()
        if desk is None:
            raise policy.ActionNotPermitted(_("Chỉ cán bộ tiếp nhận được tiếp nhận hồ sơ."), "receiving_agency")
        return desk

    def _create(self, request, data) -> Response:
        desk = self._desk(request, data)
        if data.get("competent_agency"):
            competent = _agency(data["competent_agency"], "competent_agency")
        elif desk.parent_id:
            competent = desk.parent
        else:
            raise serializers.ValidationError({"competent_agency": _("Hãy nêu cơ quan có thẩm quyền giải quyết.")})
        version = ProcedureVersion.objects.filter(procedure__code=data["procedure"],
                                                  status=ProcedureVersion.Status.PUBLISHED).first()
        catalogue = {p.id: p for p in parts_of(version).papers} if version else {}
        papers = []
        for i, paper in enumerate(data.get("papers", [])):
            known = catalogue.get(paper.get("required_paper"))
            name = paper.get("name", "") or (known.name if known else "")
            content, content_type, filename = None, "", ""
            if paper.get("file") is not None:
                content, content_type = _checked(paper["file"], label=name or _("Giấy tờ"), field=f"papers[{i}].file")
                filename = paper["file"].name
            papers.append(PaperInput(
                required_paper_id=paper.get("required_paper"), name=paper.get("name", ""),
                kind=paper.get("kind") or (known.kind if known else ""), count=paper.get("count", 1),
                content=content, filename=filename, content_type=content_type,
            ))
        representative = data.get("representative")
        key = request.headers.get(HEADER)
        dossier = services.dossier_receive(
            actor=request.user, receiving_agency=desk, procedure=data["procedure"], competent_agency=competent,
            case=data.get("case") or None, applicant=ApplicantInput(**data["applicant"]),
            representative=ApplicantInput(**representative) if representative else None,
            papers=papers, channel=data["channel"], received_at=data.get("received_at"),
            idempotency_key=dossier_key(request.user, key) if key else None,
        )
        location = request.build_absolute_uri(f"{reverse('api:dossier', args=[dossier.code])}")
        return state(request, dossier.pk, status=201, headers={"Location": location})


# --- GET /dossiers/{code}/actions/ ---------------------------------------------------------------


class AllowedActionsView(APIView):
    operation = "dossiers.read"

    @extend_schema(operation_id="dossier_allowed_actions", summary="Các thao tác người gọi được làm ngay bây giờ",
                   responses={200: s.AllowedActionsSerializer, **problems(401, 403, 404, 406)})
    def get(self, request, code):
        dossier = dossier_for(request, code)
        actions = [{"action": a, "label": policy.label(a)} for a in policy.allowed_actions(request.user, dossier)]
        return Response({"code": dossier.code, "status": dossier.status, "actions": actions})


# --- POST /dossiers/{code}/actions/{action} ------------------------------------------------------


class ActionView(APIView):
    """One action: find the dossier (404 for an outsider), parse the input (400 naming the field),
    run the service (the policy's refusal → 403/422 with its reason), answer the new state."""

    operation = "dossiers.act"
    action = ""
    input_serializer: type[serializers.Serializer] = s.EmptySerializer

    def post(self, request, code):
        dossier = dossier_for(request, code)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)

        def run():
            self.perform(dossier=dossier, actor=request.user, **data.validated_data)
            return state(request, dossier.pk)

        return idempotent(request, run)

    def perform(self, *, dossier, actor, **data):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


def _schema(action: str, request=s.EmptySerializer):
    return extend_schema(
        operation_id=f"dossier_{action}", summary=policy.label(action), parameters=[IDEMPOTENCY_PARAMETER],
        request=request, responses={200: s.DossierStateSerializer, **problems(*WRITE_PROBLEMS)},
    )


def _user(pk, field="assignee") -> User:
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise serializers.ValidationError({field: _("Không có cán bộ mã %(pk)s.") % {"pk": pk}})
    return user


class AcceptView(ActionView):
    action = "accept"

    @_schema("accept")
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor):
        services.dossier_accept(dossier=dossier, actor=actor)


class RefuseReceptionView(ActionView):
    action, input_serializer = "refuse_reception", s.ReasonCodeSerializer

    @_schema("refuse_reception", s.ReasonCodeSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, reason_code, reason):
        services.dossier_refuse_reception(dossier=dossier, actor=actor, reason_code=reason_code, reason=reason)


class AssignView(ActionView):
    action, input_serializer = "assign", s.AssignSerializer

    @_schema("assign", s.AssignSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, assignee, note):
        services.dossier_assign(dossier=dossier, actor=actor, assignee=_user(assignee), note=note)


class ForwardView(ActionView):
    action, input_serializer = "forward", s.ForwardSerializer

    @_schema("forward", s.ForwardSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, note, assignee=None):
        services.dossier_forward(dossier=dossier, actor=actor, note=note,
                                 assignee=_user(assignee) if assignee else None)


class RequestSupplementView(ActionView):
    action, input_serializer = "request_supplement", s.SupplementRequestSerializer

    @_schema("request_supplement", s.SupplementRequestSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, items, reason):
        services.dossier_request_supplement(dossier=dossier, actor=actor, items=items, reason=reason)


class ReceiveSupplementView(ActionView):
    action, input_serializer = "receive_supplement", s.SupplementReceiveSerializer

    @_schema("receive_supplement", {"application/json": s.SupplementReceiveSerializer,
                                    "multipart/form-data": s.SupplementReceiveMultipartSerializer})
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, note, files=()):
        papers = []
        for i, sent in enumerate(files):
            content, content_type = _checked(sent, label=_("Giấy tờ bổ sung"), field=f"files[{i}]")
            papers.append(PaperInput(name=sent.name, kind="copy", content=content, filename=sent.name,
                                     content_type=content_type))
        services.dossier_receive_supplement(dossier=dossier, actor=actor, papers=papers, note=note)


class RequestPaymentView(ActionView):
    action, input_serializer = "request_payment", s.NoteSerializer

    @_schema("request_payment", s.NoteSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, note):
        services.dossier_request_payment(dossier=dossier, actor=actor, note=note)


class ConfirmPaymentView(ActionView):
    action, input_serializer = "confirm_payment", s.NoteSerializer

    @_schema("confirm_payment", s.NoteSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, note):
        services.dossier_confirm_payment(dossier=dossier, actor=actor, note=note)


class TransferView(ActionView):
    action, input_serializer = "transfer", s.TransferSerializer

    @_schema("transfer", s.TransferSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, to_agency, note):
        services.dossier_transfer(dossier=dossier, actor=actor, to_agency=_agency(to_agency, "to_agency"), note=note)


class TransferBackView(ActionView):
    action, input_serializer = "transfer_back", s.NoteSerializer

    @_schema("transfer_back", s.NoteSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, note):
        services.dossier_transfer_back(dossier=dossier, actor=actor, note=note)


class RefuseView(ActionView):
    action, input_serializer = "refuse", s.ReasonCodeSerializer

    @_schema("refuse", s.ReasonCodeSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, reason_code, reason):
        services.dossier_refuse(dossier=dossier, actor=actor, reason_code=reason_code, reason=reason)


class StopView(ActionView):
    action, input_serializer = "stop", s.ReasonSerializer

    @_schema("stop", s.ReasonSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, reason):
        services.dossier_stop(dossier=dossier, actor=actor, reason=reason)


class WithdrawView(ActionView):
    action, input_serializer = "withdraw", s.ReasonSerializer

    @_schema("withdraw", s.ReasonSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, reason):
        services.dossier_withdraw(dossier=dossier, actor=actor, reason=reason)


class ApologiseView(ActionView):
    action, input_serializer = "apologise", s.ApologiseSerializer

    @_schema("apologise", s.ApologiseSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, reason, new_appointment_at):
        services.dossier_apologise(dossier=dossier, actor=actor, reason=reason,
                                   new_appointment_at=new_appointment_at)


class ResultReadyView(ActionView):
    action, input_serializer = "result_ready", s.NoteSerializer

    @_schema("result_ready", s.NoteSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, note):
        services.dossier_result_ready(dossier=dossier, actor=actor, note=note)


class ReturnResultView(ActionView):
    action, input_serializer = "return_result", s.ReturnResultSerializer

    @_schema("return_result", s.ReturnResultSerializer)
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, method, detail):
        services.dossier_return_result(dossier=dossier, actor=actor, method=method, detail=detail)


class AttachResultView(ActionView):
    action, input_serializer = "attach_result", s.AttachResultSerializer
    sign = False

    @_schema("attach_result", {"application/json": s.AttachResultSerializer,
                               "multipart/form-data": s.AttachResultMultipartSerializer})
    def post(self, request, code):
        return super().post(request, code)

    def perform(self, *, dossier, actor, name, file):
        content, _type = _checked(file, label=_("Tệp kết quả"), field="file", kinds=(PDF,))
        services.dossier_attach_result(dossier=dossier, actor=actor, name=name, content=content, sign=self.sign)


class SignResultView(AttachResultView):
    action, sign = "sign_result", True

    @_schema("sign_result", {"application/json": s.AttachResultSerializer,
                             "multipart/form-data": s.AttachResultMultipartSerializer})
    def post(self, request, code):
        return ActionView.post(self, request, code)


ACTION_VIEWS = [AcceptView, RefuseReceptionView, AssignView, ForwardView, RequestSupplementView,
                ReceiveSupplementView, RequestPaymentView, ConfirmPaymentView, TransferView, TransferBackView,
                RefuseView, StopView, WithdrawView, ApologiseView, ResultReadyView, ReturnResultView,
                AttachResultView, SignResultView]


class UnknownActionView(APIView):
    """Any other action name: 404 problem (after the dossier check, so an outsider learns nothing)."""

    operation = "dossiers.act"

    @extend_schema(exclude=True)
    def post(self, request, code, action):
        dossier_for(request, code)
        raise NotFound
