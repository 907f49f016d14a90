"""The national public-service portal (Cổng Dịch vụ công quốc gia) as a connector.

Which events send what:
- DongBoHoSoMC (the dossier's whole state) at its creation (online submission, counter
  reception, counter refusal), at every status change, and at the events that change a field the
  portal keeps while the status stays: the apology's new appointment (NgayHenTra), a payment
  (DanhSachLePhi, DuocThanhToanTrucTuyen), a result paper (DanhSachGiayToKetQua);
- CapNhatTienDoHoSoMC (one line of the portal's processing log) at every processing step an
  officer takes (PROGRESS_ACTIONS below), after the state message of the same event, so the
  portal always knows the dossier and its status before the step that led there.

Both are snapshots taken inside the business transaction, not read again at delivery: during an
outage a dossier can move through several statuses before anything is delivered, and the portal
must receive each one as it was — with the dates and step of that moment — in order, not the last
state N times. A draft is never sent (nothing was filed). The one field read at delivery is the
dossier code, issued last in the same transaction and never changed after.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.dossiers import policy
from motcua.dossiers.models import Dossier, Status

from ...base import Connector, PermanentError
from ...registry import register
from . import payloads
from .client import Client, Refused

SYNC = "DongBoHoSoMC"
PROGRESS = "CapNhatTienDoHoSoMC"

# Events that change a field of the portal's record while the status stays the same.
STATE_ACTIONS = frozenset({"apologise", "pay_cash", "pay_online", "attach_result"})
# Processing steps: one line each in the portal's processing log.
PROGRESS_ACTIONS = frozenset({
    "receive", "accept", "refuse_reception", "assign", "forward", "request_supplement", "receive_supplement",
    "request_payment", "confirm_payment", "transfer", "transfer_back", "apologise", "result_ready", "refuse",
    "stop", "withdraw", "return_result",
})
# Not processing steps: the citizen's own filing (its state message says it), a draft apology a
# leader may still reject, a payment and a result file (state, above; signing is recorded as
# attach_result), a rating (the portal rates through its own service).
QUIET_ACTIONS = frozenset({"submit", "draft_apology", "pay_cash", "pay_online", "attach_result", "sign_result",
                           "rate", "resync"})  # resync: an officer's re-push, audited, not a history event


@register
class DvcqgConnector(Connector):
    code = "dvcqg"
    label = gettext_lazy("Cổng Dịch vụ công quốc gia")

    def __init__(self) -> None:
        self.client = Client()

    # --- enqueue side (inside the business transaction) -----------------------------------------

    def messages_for(self, event) -> list[tuple[str, dict]]:
        if event.to_status == Status.DRAFT:
            return []
        dossier = event.dossier
        created = event.from_status == policy.NEW
        out = []
        if created or event.from_status != event.to_status or event.action in STATE_ACTIONS:
            out.append((SYNC, {"update": not created,
                               "data": payloads.dossier_state(dossier, action=event.action, new=created)}))
        if event.action in PROGRESS_ACTIONS:
            out.append((PROGRESS, {"data": payloads.progress(event)}))
        return out

    def resync(self, dossier) -> None:
        """A fresh full-state message, behind whatever this dossier still has waiting."""
        from motcua.outbox.services import enqueue

        if dossier.status == Status.DRAFT:
            return
        with transaction.atomic():
            enqueue(receiver=self.code, kind=SYNC, payload={"update": True, "data": payloads.dossier_state(dossier)},
                    dossier=dossier)

    # --- delivery side (the relay, outside any transaction) -------------------------------------

    def deliver(self, message) -> str:
        data = dict(message.payload.get("data") or {})
        if not data.get("MaHoSo"):
            code = Dossier.objects.filter(pk=message.dossier_id).values_list("code", flat=True).first()
            if not code:
                raise PermanentError(_("Hồ sơ chưa có mã: không gửi được lên Cổng Dịch vụ công quốc gia."))
            data["MaHoSo"] = code
        message_id = str(message.message_id)
        if message.kind == SYNC:
            return self._sync(data, update=bool(message.payload.get("update")), message_id=message_id)
        if message.kind == PROGRESS:
            return self._progress(message, data, message_id=message_id)
        raise PermanentError(_("Loại thông điệp không hỗ trợ: %(kind)s.") % {"kind": message.kind})

    def _body(self, kind: str, data: dict, message_id: str) -> list[dict]:
        profile = self.client.profile
        rendered = profile.render(kind, data)
        if profile["message_id_field"]:
            rendered[profile["message_id_field"]] = message_id
        return [rendered]

    def _sync(self, data: dict, *, update: bool, message_id: str) -> str:
        """Create (or update) the dossier; "already exists" turns a create into an update, "not
        found" an update into a create (the portal lost it: it gets it again)."""
        profile = self.client.profile
        env, values = profile.raw["envelope"], profile["updating_values"]

        def send(as_update: bool):
            return self.client.call("sync", {env["updating"]: values["update" if as_update else "create"],
                                             env["data"]: self._body(SYNC, data, message_id)}, message_id=message_id)

        try:
            return send(update).summary()
        except Refused as exc:
            turn = profile.codes("not_found_codes" if update else "already_exists_codes")
            if exc.answer.code not in turn:
                raise
            answer = send(not update)
            how = _("chưa có, đã tạo mới") if update else _("đã có, đã cập nhật")
            return f"{answer.summary()} ({how})"

    def _progress(self, message, data: dict, *, message_id: str) -> str:
        env = self.client.profile.raw["envelope"]

        def send():
            return self.client.call("progress", {env["data"]: self._body(PROGRESS, data, message_id)},
                                    message_id=message_id)

        try:
            return send().summary()
        except Refused as exc:
            if exc.answer.code not in self.client.profile.codes("not_found_codes"):
                raise
        # The portal does not know the dossier (it lost an accepted message): give it the state
        # this step followed — the last state message before this one — then the step again. Its
        # id is derived, so a retry of this heal is dropped as a duplicate, not applied twice.
        from motcua.outbox.models import Message

        prior = (Message.objects.filter(receiver=self.code, dossier_id=message.dossier_id, kind=SYNC,
                                        pk__lt=message.pk).order_by("-pk").first())
        if prior is None:
            raise PermanentError(_("Cổng Dịch vụ công quốc gia chưa có hồ sơ và không có thông điệp đồng bộ trước đó."))
        state = dict(prior.payload.get("data") or {})
        state["MaHoSo"] = data["MaHoSo"]
        self._sync(state, update=False, message_id=str(uuid.uuid5(message.message_id, str(prior.message_id))))
        return f"{send().summary()} ({_('đã gửi lại hồ sơ trước')})"

    # --- reconciliation ----------------------------------------------------------------------

    def lookup(self, code: str) -> dict | None:
        """TraCuuHoSo: the portal's record of `code` under the national names, with its processing
        log; None when the portal holds nothing. A failure to ask raises DeliveryError."""
        profile = self.client.profile
        try:
            answer = self.client.call("lookup", {profile.envelope("code"): code})
        except Refused as exc:
            if exc.answer.code in profile.codes("not_found_codes"):
                return None
            raise
        result = answer.body.get(profile.answer("result"))
        return profile.read(result) if isinstance(result, dict) else None
