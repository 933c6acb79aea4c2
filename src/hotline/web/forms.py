from django import forms
from django.utils.translation import gettext_lazy as _

from hotline.accounts.models import Region
from hotline.customers.import_rows import clean_phone
from hotline.customers.models import CustomerKind, Tier
from hotline.customers.scope import visible_region_ids


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("号码、姓名、证件后四位、账号、地址…（按 / 聚焦）"),
                "autofocus": True,
                "autocomplete": "off",
            }
        ),
    )
    number = forms.CharField(
        label=_("来电号码"), required=False, max_length=30, widget=forms.HiddenInput
    )
    tier = forms.ChoiceField(
        label=_("客户级别"), required=False, choices=[("", _("全部级别")), *Tier.choices]
    )
    kind = forms.ChoiceField(
        label=_("客户类型"), required=False, choices=[("", _("全部类型")), *CustomerKind.choices]
    )
    region = forms.ModelChoiceField(
        label=_("区域"), required=False, queryset=Region.objects.none(), empty_label=_("全部区域")
    )
    vip = forms.BooleanField(label=_("仅VIP"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = visible_region_ids(user)
        queryset = Region.objects.all()
        self.fields["region"].queryset = (
            queryset if regions is None else queryset.filter(pk__in=regions)
        )

    def clean_number(self):
        raw = self.cleaned_data["number"].strip()
        if not raw:
            return ""
        try:
            return clean_phone(raw)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def has_criteria(self) -> bool:
        data = self.cleaned_data
        return any(data.get(name) for name in ("q", "number", "tier", "kind", "region", "vip"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("客户文件（CSV 或 XLSX）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("只能导入 .csv 或 .xlsx 文件"))
        return upload


class QuickCustomerForm(forms.Form):
    """A caller the base does not know yet: enough to open the record and an order."""

    name = forms.CharField(
        label=_("客户名称"), max_length=100, widget=forms.TextInput(attrs={"autofocus": True})
    )
    contact_number = forms.CharField(label=_("联系电话"), max_length=30)
    region = forms.ModelChoiceField(label=_("区域"), queryset=Region.objects.none())
    address = forms.CharField(label=_("联系地址"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = visible_region_ids(user)
        queryset = Region.objects.all()
        self.fields["region"].queryset = (
            queryset if regions is None else queryset.filter(pk__in=regions)
        )
        if self.fields["region"].queryset.count() == 1:
            self.fields["region"].initial = self.fields["region"].queryset.get()

    def clean_contact_number(self):
        try:
            return clean_phone(self.cleaned_data["contact_number"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
