"""Forms of the work-order pages: the list filters, a new order, and one small form per step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hotline.accounts.models import Department
from hotline.customers import pii
from hotline.customers.models import Line
from hotline.workorders.models import (
    Category,
    ComplaintLevel,
    FaultScope,
    OrderType,
    State,
    Step,
    WorkOrder,
)

LIST_LABELS = {
    "mine": _("我的工单"),
    "group": _("组内队列"),
    "breaching": _("即将超时"),
    "overdue": _("已超时"),
    "all": _("全部工单"),
}


class OrderFilterForm(forms.Form):
    list = forms.ChoiceField(
        choices=list(LIST_LABELS.items()), required=False, widget=forms.HiddenInput
    )
    q = forms.CharField(
        label=_("描述"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("问题描述中的词…（按 / 聚焦）"), "autocomplete": "off"}
        ),
    )
    order_type = forms.ChoiceField(
        label=_("工单类型"), required=False, choices=[("", _("全部类型")), *OrderType.choices]
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *State.choices]
    )
    department = forms.ModelChoiceField(
        label=_("处理部门"),
        required=False,
        queryset=Department.objects.all(),
        empty_label=_("全部部门"),
    )


class NewOrderForm(forms.Form):
    """Opens an order for one customer; the fields a type does not use are left out."""

    order_type = forms.ChoiceField(
        label=_("工单类型"),
        choices=OrderType.choices,
        widget=forms.RadioSelect(attrs={"autofocus": True}),
    )
    category = forms.ModelChoiceField(
        label=_("业务分类"), queryset=Category.objects.none(), empty_label=_("请选择分类")
    )
    line = forms.ModelChoiceField(
        label=_("号码/账号"),
        queryset=Line.objects.none(),
        required=False,
        empty_label=_("不涉及具体号码"),
    )
    description = forms.CharField(
        label=_("问题描述"),
        max_length=2000,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "data-enter-submits": True,
                "placeholder": _("客户反映的问题（Enter 提交，Shift+Enter 换行）"),
            }
        ),
    )
    fault_scope = forms.ChoiceField(
        label=_("影响范围"), choices=FaultScope.choices, initial=FaultScope.SINGLE_USER
    )
    complaint_level = forms.ChoiceField(
        label=_("投诉等级"), choices=ComplaintLevel.choices, initial=ComplaintLevel.GENERAL
    )
    promised_contact_at = forms.DateTimeField(
        label=_("承诺联系时间"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    contact = forms.IntegerField(required=False, widget=forms.HiddenInput)

    TYPE_FIELDS = {
        "fault_scope": OrderType.FAULT,
        "complaint_level": OrderType.COMPLAINT,
        "promised_contact_at": OrderType.SERVICE_REQUEST,
    }

    def __init__(self, *args, customer, order_type: str, unmasked: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for name, used_by in self.TYPE_FIELDS.items():
            if order_type != used_by:
                del self.fields[name]
        categories = Category.objects.filter(active=True, order_type=order_type).select_related(
            "parent"
        )
        self.fields["category"].queryset = categories
        self.fields["category"].choices = _grouped(categories)
        line = self.fields["line"]
        line.queryset = customer.lines.all()
        line.label_from_instance = lambda item: (
            f"{item.get_service_type_display()} {pii.shown('number', item.number, unmasked)}"
        )


def _grouped(categories) -> list:
    """The categories under their parents' names, as <optgroup>s."""
    groups: dict[str, list] = {}
    for category in categories:
        parent = category.parent.name if category.parent_id else ""
        groups.setdefault(parent, []).append((category.pk, category.name))
    return [("", _("请选择分类")), *groups.items()]


class StepForm(forms.Form):
    """A step that needs nothing but the click."""

    def __init__(self, *args, order: WorkOrder, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order


class ReasonForm(StepForm):
    reason = forms.CharField(
        label=_("原因"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class UrgeForm(StepForm):
    reason = forms.CharField(label=_("催单说明"), max_length=200, required=False)


class FirstContactForm(StepForm):
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 2}))


class EscalateForm(StepForm):
    department = forms.ModelChoiceField(
        label=_("派往部门"), queryset=Department.objects.all(), required=False
    )
    reason = forms.CharField(label=_("转二线原因"), max_length=200, required=False)

    def __init__(self, *args, order: WorkOrder, **kwargs):
        super().__init__(*args, order=order, **kwargs)
        department = self.fields["department"]
        # Without a department the service dispatches to the category's own, if it has one.
        if order.category.default_department_id:
            department.initial = order.category.default_department_id
            department.empty_label = _("按业务分类默认部门")
        else:
            department.empty_label = _("暂不派单（待派单）")


class DispatchForm(StepForm):
    department = forms.ModelChoiceField(label=_("派往部门"), queryset=Department.objects.all())

    def __init__(self, *args, order: WorkOrder, **kwargs):
        super().__init__(*args, order=order, **kwargs)
        self.fields["department"].initial = order.category.default_department_id


class TransferForm(StepForm):
    department = forms.ModelChoiceField(label=_("转派部门"), queryset=Department.objects.all())
    reason = forms.CharField(label=_("转派原因"), max_length=200)

    def __init__(self, *args, order: WorkOrder, **kwargs):
        super().__init__(*args, order=order, **kwargs)
        self.fields["department"].queryset = Department.objects.exclude(pk=order.department_id)


class _RootCauseFields(StepForm):
    """Complaints record a root cause and a fix (根因 / 整改措施); other types do not."""

    root_cause = forms.CharField(label=_("根因"), max_length=200, required=False)
    fix = forms.CharField(
        label=_("整改措施"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, order: WorkOrder, **kwargs):
        super().__init__(*args, order=order, **kwargs)
        if order.order_type != OrderType.COMPLAINT:
            del self.fields["root_cause"]
            del self.fields["fix"]
        else:
            self.fields["root_cause"].initial = order.root_cause
            self.fields["fix"].initial = order.fix


class ReplyForm(_RootCauseFields):
    text = forms.CharField(label=_("回单内容"), widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["text", "root_cause", "fix"]


class CallbackForm(_RootCauseFields):
    satisfied = forms.TypedChoiceField(
        label=_("回访结果"),
        choices=[("yes", _("满意")), ("no", _("不满意"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("回访记录"), max_length=200, required=False)
    field_order = ["satisfied", "reason", "root_cause", "fix"]


STEP_FORMS: dict[str, type[StepForm]] = {
    Step.CLOSE_AT_FIRST_CONTACT: FirstContactForm,
    Step.SOLVE_AT_FIRST_CONTACT: FirstContactForm,
    Step.ESCALATE: EscalateForm,
    Step.DISPATCH: DispatchForm,
    Step.ACCEPT: StepForm,
    Step.START: StepForm,
    Step.ARRIVE_ON_SITE: StepForm,
    Step.REPLY: ReplyForm,
    Step.TRANSFER: TransferForm,
    Step.SEND_BACK: ReasonForm,
    Step.SUSPEND: ReasonForm,
    Step.RESUME: StepForm,
    Step.URGE: UrgeForm,
    Step.SUPERVISE: ReasonForm,
    Step.CALLBACK: CallbackForm,
}


def step_form(step: str, order: WorkOrder, data=None) -> StepForm:
    """The step's form, its fields named `<step>-<field>` so that several fit on one page."""
    return STEP_FORMS[step](data, order=order, prefix=step)
