from django import forms
from django.utils.translation import gettext_lazy as _

from relais.core.forms import NamedChoiceField
from relais.organisations.models import Organisation
from relais.people.models import Person
from relais.territory.models import Territory

from .models import (
    Consent,
    DataRequest,
    HubSettings,
    Need,
    Referral,
    Service,
    Visit,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitForm(forms.Form):
    """The front-desk form: a few taps, nothing typed unless needed."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=Visit.Channel.choices,
        initial=Visit.Channel.WALK_IN,
        # Big buttons to tap: Bootstrap's toggle buttons over the real inputs.
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("Needs"),
        queryset=Need.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}),
    )
    minutes = forms.IntegerField(
        label=_("Time spent (minutes)"), min_value=1, max_value=480, initial=10
    )
    digital_assisted = forms.BooleanField(
        label=_("Helped with a digital procedure"), required=False
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[("", _("Not said")), *Person.Sex.choices],
        required=False,
    )
    age_group = forms.ChoiceField(
        label=_("Age group"),
        choices=[("", _("Not said")), *Visit.AgeGroup.choices],
        required=False,
    )
    commune = NamedChoiceField(
        label=_("Commune"), queryset=Territory.objects.none(), required=False
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        # The communes of the centre's province: the ones visitors come from.
        self.fields["commune"].queryset = Territory.objects.filter(
            level=Territory.Level.COMMUNE,
            path__startswith=centre.territory_path,
        ).order_by("name_fr")


class OpenFileForm(forms.Form):
    first_name = forms.CharField(label=_("First name (Latin script)"), max_length=100)
    last_name = forms.CharField(label=_("Last name (Latin script)"), max_length=100)
    first_name_ar = forms.CharField(
        label=_("First name (Arabic script)"), max_length=100, required=False
    )
    last_name_ar = forms.CharField(
        label=_("Last name (Arabic script)"), max_length=100, required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    cin = forms.CharField(label=_("CIN"), max_length=20, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Listening note"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ConsentForm(forms.Form):
    recipient = NamedChoiceField(
        label=_("Shared with"), queryset=Organisation.objects.order_by("name_fr")
    )
    purpose = forms.CharField(
        label=_("For what"),
        max_length=255,
        initial=_("Orientation to the service and follow-up"),
    )

    def __init__(self, *args, recipient: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if recipient is not None:
            # A referral's consent is to share with its service's provider: the
            # form carries it instead of drawing the country's organisations.
            field = self.fields["recipient"]
            field.queryset = Organisation.objects.filter(pk=recipient.pk)
            field.initial = recipient.pk
            field.widget = forms.HiddenInput()


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.filter(is_active=True)
    )
    need = forms.ModelChoiceField(
        label=_("Need"), queryset=Need.objects.all(), required=False
    )
    reason = forms.CharField(
        label=_("Why this service"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReferralActionForm(forms.Form):
    """What one action on a referral needs from the page, checked before the
    service runs; the service keeps the rules (who, and from which state)."""

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral


class SendForm(ReferralActionForm):
    """Send with one of the visit's consents, or without one and a reason."""

    consent = forms.ModelChoiceField(
        queryset=Consent.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("Choose a consent recorded for this visit.")
        },
    )
    override_reason = forms.CharField(
        label=_("Reason for sending without consent"), max_length=255, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].queryset = self.referral.visit.consents.all()


class AcceptForm(ReferralActionForm):
    """Accept a referral sent to the user's side: nothing to type."""


class DeclineForm(ReferralActionForm):
    reason = forms.CharField(
        label=_("Reason for declining"),
        error_messages={"required": _("Say why the referral is declined.")},
    )


class StartForm(ReferralActionForm):
    """Start the service for an accepted referral: nothing to type."""


class CompleteForm(ReferralActionForm):
    """Mark the referral as completed: nothing to type."""


class CloseForm(ReferralActionForm):
    reason = forms.ChoiceField(
        label=_("Closure reason"),
        choices=Referral.ClosureReason.choices,
        error_messages={
            "required": _("Choose why the referral is closed."),
            "invalid_choice": _("Choose why the referral is closed."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class FollowUpForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(
        label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ServiceForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Service.Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Service
        fields = [
            "provider",
            "label_fr",
            "label_ar",
            "description",
            "needs",
            "audience",
            "capacity_per_week",
            "opening_hours",
            "languages",
            "online",
            "is_active",
        ]
        widgets = {"needs": forms.CheckboxSelectMultiple}
        field_classes = {"provider": NamedChoiceField}

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class HubSettingsForm(forms.ModelForm):
    class Meta:
        model = HubSettings
        fields = [
            "supervised_mode",
            "accept_within_hours",
            "complete_within_days",
            "remind_hours_before",
        ]


class DataRequestForm(forms.Form):
    person = forms.IntegerField(label=_("Person's record number"))
    kind = forms.ChoiceField(label=_("Request"), choices=DataRequest.Kind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    details = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (DataRequest.Status.ANSWERED, DataRequest.Status.ANSWERED.label),
            (DataRequest.Status.REJECTED, DataRequest.Status.REJECTED.label),
        ],
    )
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3})
    )
