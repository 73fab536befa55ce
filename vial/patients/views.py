"""Patients in the staff admin: find, open, correct, merge, export and erase a patient record.

URLs (under /admin/, registered in `wagtail_hooks.py`):

    patients/                      find a patient (?q= name, date of birth, phone or e-mail)
    patients/<id>/                 the patient page: details and a timeline
    patients/<id>/edit/            correct contact details (kept as history)
    patients/<id>/merge/           POST: fold another record (a duplicate) into this one
    patients/<id>/export/          subject-access export: ?format=json (download) or html (readable)
    patients/<id>/erase/           POST: right to erasure, with the reason

Who may do what is `access.py`; without the permission the answer is 404. Every read writes one
audit row (`vial.audit`), every change writes its row in the change's own transaction.
"""

import json

from django import forms
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from vial.audit.log import Action, record
from vial.core.phones import PhoneError, clean_uk_phone

from . import access, services
from .export import subject_access
from .models import CONTACT_FIELDS, Patient
from .search import find_patients


class PatientMixin(WagtailAdminTemplateMixin):
    header_icon = "user"
    page_title = "Patients"
    action = "view"

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse("patients_search"), "label": "Patients"}]
        if self.get_page_title() != "Patients":
            items.append({"url": "", "label": self.get_page_title()})
        return items

    def render(self, status: int = 200, **context):
        return self.render_to_response(self.get_context_data(**context), status=status)


class OnePatientMixin(PatientMixin):
    def dispatch(self, request, *args, **kwargs):
        self.patient = access.patient_or_404(request.user, kwargs["pk"], self.action)
        if self.patient.merged_into_id and request.method == "GET":
            messages.info(request, "That record was merged into this one.")
            return redirect("patients_page", self.patient.merged_into_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.patient.preferred_name

    def get_context_data(self, **kwargs):
        kwargs.setdefault("patient", self.patient)
        return super().get_context_data(**kwargs)


class SearchView(PatientMixin, TemplateView):
    template_name = "patients/search.html"

    def dispatch(self, request, *args, **kwargs):
        if not access.may(request.user, "view"):
            raise Http404("No such page.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        query = request.GET.get("q", "").strip()[:100]
        results = None
        if query:
            results = find_patients(query)
            record(request, Action.SEARCH, "patient search", detail=query)  # the words, not who was found
        return self.render(query=query, results=results, book=booking_in_progress(request))


#: What the diary's booking form carries while staff look a patient up (clinic, person, service, time).
BOOKING_KEYS = ("location", "practitioner", "service", "day", "time")


def booking_in_progress(request) -> str:
    """The diary booking this search is for (`?book=` as the diary sent it), cleaned to its known keys."""
    wanted = QueryDict(request.GET.get("book", "")[:300])
    return (
        urlencode({key: wanted[key][:20] for key in BOOKING_KEYS if wanted.get(key)}) if "book" in request.GET else ""
    )


class PatientPageView(OnePatientMixin, TemplateView):
    template_name = "patients/patient.html"

    def get(self, request, *args, **kwargs):
        record(request, Action.VIEW, "patient page", patient=self.patient)
        return self.render(
            timeline=timeline(self.patient),
            may_change=access.may(request.user, "change"),
            may_export=access.may(request.user, "export"),
            may_merge=access.may(request.user, "merge"),
            may_erase=access.may(request.user, "erase"),
            may_book=request.user.has_perm("staff.use_diary") or request.user.is_superuser,
            duplicates=likely_duplicates(self.patient) if access.may(request.user, "merge") else [],
        )


def timeline(patient: Patient) -> list[dict]:
    """Appointments (with their status history), enquiries and contact-detail changes, newest first.

    A fixed number of queries whatever the history's length (prefetches, no per-row queries).
    """
    items = []
    appointments = patient.appointments.select_related("service", "practitioner", "location").prefetch_related(
        "status_changes__by"
    )
    for appointment in appointments:
        items.append({"at": appointment.start, "kind": "appointment", "appointment": appointment})
        for label, moment in (
            ("Confirmation e-mail sent", appointment.confirmation_sent_at),
            ("Reminder e-mail sent", appointment.reminder_sent_at),
            ("Cancellation e-mail sent", appointment.cancellation_sent_at),
        ):
            if moment:
                items.append({"at": moment, "kind": "message", "label": label, "appointment": appointment})
    for enquiry in patient.enquiries.all():
        items.append({"at": enquiry.created_at, "kind": "enquiry", "enquiry": enquiry})
    for change in patient.details_changes.select_related("by"):
        items.append({"at": change.at, "kind": "change", "change": change})
    return sorted(items, key=lambda item: item["at"], reverse=True)


def likely_duplicates(patient: Patient) -> list[Patient]:
    """Other live records with the same date of birth and a matching phone, e-mail or surname."""
    if patient.date_of_birth is None:
        return []
    surname = patient.preferred_name.split()[-1] if patient.preferred_name.split() else ""
    same = Patient.objects.filter(date_of_birth=patient.date_of_birth, merged_into__isnull=True).exclude(pk=patient.pk)
    matches = same.filter(preferred_name__iendswith=surname) if surname else same.none()
    if patient.phone:
        matches = matches | same.filter(phone=patient.phone)
    if patient.email:
        matches = matches | same.filter(email__iexact=patient.email)
    return list(matches.distinct()[:5])


class ContactForm(forms.ModelForm):
    reason = forms.CharField(
        max_length=200, required=False, help_text="Optional: e.g. 'patient phoned with a new address'."
    )

    class Meta:
        model = Patient
        fields = CONTACT_FIELDS
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_phone(self):
        return self._phone("phone")

    def clean_emergency_phone(self):
        return self._phone("emergency_phone")

    def _phone(self, name):
        raw = self.cleaned_data.get(name, "")
        if not raw.strip():
            return ""
        try:
            return clean_uk_phone(raw)
        except PhoneError as error:
            raise forms.ValidationError(error.message) from error

    def clean(self):
        data = super().clean()
        if data.get("care_by_sms") and not data.get("phone"):
            self.add_error("phone", "Text messages need a mobile number.")
        elif data.get("care_by_sms") and data.get("phone"):
            try:
                clean_uk_phone(data["phone"], mobile=True)
            except PhoneError as error:
                self.add_error("phone", error.message)
        if data.get("care_by_email") and not data.get("email"):
            self.add_error("email", "E-mailed care messages need an e-mail address.")
        return data

    def validate_unique(self):
        pass  # the database's constraint decides; a clash is answered in the view


class EditView(OnePatientMixin, TemplateView):
    template_name = "patients/edit.html"
    action = "change"

    def get_page_title(self):
        return f"Correct details: {self.patient.preferred_name}"

    def get(self, request, *args, **kwargs):
        return self.render(form=ContactForm(instance=Patient.objects.get(pk=self.patient.pk)))

    def post(self, request, *args, **kwargs):
        form = ContactForm(request.POST, instance=Patient.objects.get(pk=self.patient.pk))
        if not form.is_valid():
            messages.error(request, "Please correct the form: nothing was changed.")
            return self.render(status=400, form=form)
        new = {field: form.cleaned_data[field] for field in CONTACT_FIELDS}
        clash = services.find_patient(new["email"], new["date_of_birth"])
        if clash is not None and clash.pk != self.patient.pk:
            messages.error(
                request, "Another patient record has this e-mail address and date of birth: merge the two instead."
            )
            return self.render(status=409, form=form)
        changed = services.change_details(self.patient, new, request, form.cleaned_data["reason"])
        messages.success(
            request, f"Saved: {', '.join(f.replace('_', ' ') for f in changed)}." if changed else "No change."
        )
        return redirect("patients_page", self.patient.pk)


class MergeView(OnePatientMixin, TemplateView):
    action = "merge"

    def post(self, request, *args, **kwargs):
        other_pk = request.POST.get("duplicate", "")
        reason = request.POST.get("reason", "")
        try:
            duplicate = access.patient_or_404(request.user, other_pk, "merge")
        except Http404:  # an unknown record is a mistake to correct here, not a page of its own
            messages.error(request, "Choose the duplicate record to merge into this one.")
            return redirect("patients_page", self.patient.pk)
        try:
            services.merge_patients(self.patient, duplicate, request, reason)
        except services.PatientError as error:
            messages.error(request, str(error))
            return redirect("patients_page", self.patient.pk)
        messages.success(request, f"Record #{duplicate.pk} merged into this one: its appointments are listed here.")
        return redirect("patients_page", self.patient.pk)


class ExportView(OnePatientMixin, TemplateView):
    action = "export"
    template_name = "patients/export.html"

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("format", "html")
        if kind not in ("json", "html"):
            return HttpResponse("Choose format=json or format=html.", status=400, content_type="text/plain")
        with transaction.atomic():
            data = subject_access(self.patient)
            record(request, Action.EXPORT, f"subject-access export ({kind})", patient=self.patient)
        if kind == "json":
            response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
            response["Content-Disposition"] = f'attachment; filename="patient-{self.patient.pk}.json"'
            return response
        return self.render(data=data)


class EraseView(OnePatientMixin, TemplateView):
    action = "erase"

    def post(self, request, *args, **kwargs):
        try:
            fields = services.erase_patient(self.patient, request, request.POST.get("reason", ""))
        except services.PatientError as error:
            messages.error(request, str(error))
            return redirect("patients_page", self.patient.pk)
        self.patient.refresh_from_db()
        messages.success(request, f"Erased {len(fields)} fields. {self.patient.erasure_reason}")
        return redirect("patients_page", self.patient.pk)
