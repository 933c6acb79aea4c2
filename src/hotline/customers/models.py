"""The customer information base (客户信息库): customers, their lines, products, imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hotline.accounts.models import Region
from hotline.core import tiers


class Tier(models.TextChoices):
    REGULAR = tiers.REGULAR, _("普通")
    SILVER = tiers.SILVER, _("银卡")
    GOLD = tiers.GOLD, _("金卡")
    DIAMOND = tiers.DIAMOND, _("钻石卡")


class CustomerKind(models.TextChoices):
    INDIVIDUAL = tiers.INDIVIDUAL, _("个人客户")
    ENTERPRISE = tiers.ENTERPRISE, _("集团客户")


class EnterpriseGrade(models.TextChoices):
    A = "A", _("A类")
    B = "B", _("B类")
    C = "C", _("C类")
    D = "D", _("D类")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_PERMIT = "hk_macao_permit", _("港澳居民来往内地通行证")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")


class ServiceType(models.TextChoices):
    MOBILE = "mobile", _("移动电话")
    FIXED = "fixed", _("固定电话")
    BROADBAND = "broadband", _("宽带")
    IPTV = "iptv", _("IPTV")


class LineStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    PENDING = "pending", _("待装机")
    SUSPENDED = "suspended", _("停机")
    ARREARS = "arrears", _("欠费停机")
    CLOSED = "closed", _("已拆机")


class Customer(models.Model):
    external_key = models.CharField(
        _("客户编号"),
        max_length=40,
        unique=True,
        help_text=_("业务支撑系统中的客户编号，批量导入按此更新。"),
    )
    kind = models.CharField(
        _("客户类型"), max_length=12, choices=CustomerKind.choices, default=CustomerKind.INDIVIDUAL
    )
    name = models.CharField(_("客户名称"), max_length=100, db_index=True)
    enterprise_grade = models.CharField(
        _("集团等级"), max_length=1, choices=EnterpriseGrade.choices, blank=True
    )
    tier = models.CharField(
        _("客户级别"), max_length=10, choices=Tier.choices, default=Tier.REGULAR
    )
    # Kept by the service from hotline.core.tiers.is_vip so VIP customers can be filtered by index.
    is_vip = models.BooleanField(_("VIP"), default=False, editable=False)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="customers", verbose_name=_("区域")
    )
    id_type = models.CharField(
        _("证件类型"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    id_number = models.CharField(_("证件号码"), max_length=30, blank=True)
    id_tail = models.CharField(_("证件后四位"), max_length=4, blank=True, editable=False)
    address = models.CharField(_("联系地址"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["region", "tier"], name="customer_region_tier"),
            models.Index(fields=["id_tail"], name="customer_id_tail"),
            models.Index(fields=["is_vip", "region"], name="customer_vip_region"),
        ]
        permissions = [
            ("view_unmasked_pii", _("可查看未脱敏的个人信息")),
            ("view_all_regions", _("可查看全部区域的客户")),
            ("import_customers", _("可批量导入客户")),
        ]
        verbose_name = _("客户")
        verbose_name_plural = _("客户")

    def __str__(self) -> str:
        return f"{self.name}({self.external_key})"


class Product(models.Model):
    code = models.CharField(_("产品编码"), max_length=30, unique=True)
    name = models.CharField(_("产品名称"), max_length=100)
    service_type = models.CharField(_("业务类型"), max_length=12, choices=ServiceType.choices)
    monthly_fee = models.DecimalField(_("月费（元）"), max_digits=8, decimal_places=2, default=0)

    class Meta:
        ordering = ["service_type", "code"]
        verbose_name = _("产品")
        verbose_name_plural = _("产品")

    def __str__(self) -> str:
        return self.name


class Line(models.Model):
    """A number or account the customer holds (号码 / 宽带账号), with what is subscribed on it."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="lines", verbose_name=_("客户")
    )
    service_type = models.CharField(_("业务类型"), max_length=12, choices=ServiceType.choices)
    number = models.CharField(_("号码/账号"), max_length=40, unique=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=LineStatus.choices, default=LineStatus.ACTIVE
    )
    install_address = models.CharField(_("装机地址"), max_length=200, blank=True)
    opened_on = models.DateField(_("开通日期"), null=True, blank=True)
    products = models.ManyToManyField(
        Product, through="Subscription", blank=True, verbose_name=_("订购产品")
    )

    class Meta:
        ordering = ["service_type", "number"]
        verbose_name = _("号码/账号")
        verbose_name_plural = _("号码/账号")

    def __str__(self) -> str:
        return f"{self.get_service_type_display()} {self.number}"


class Subscription(models.Model):
    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="subscriptions")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    since = models.DateField(_("订购日期"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["line", "product"], name="subscription_once_per_line")
        ]
        verbose_name = _("产品订购")
        verbose_name_plural = _("产品订购")

    def __str__(self) -> str:
        return f"{self.line_id}:{self.product_id}"


class CustomerNumber(models.Model):
    """Every number by which a caller is recognised: contact numbers and line numbers.

    One indexed table so that a caller's number finds the customer in one lookup;
    line numbers are mirrored here by the services that write lines.
    """

    class Kind(models.TextChoices):
        CONTACT = "contact", _("联系电话")
        LINE = "line", _("业务号码")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="numbers", verbose_name=_("客户")
    )
    number = models.CharField(_("号码"), max_length=40, db_index=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    line = models.OneToOneField(
        Line, on_delete=models.CASCADE, null=True, blank=True, related_name="index_entry"
    )

    class Meta:
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "number", "kind"], name="customer_number_once"
            )
        ]
        verbose_name = _("客户号码索引")
        verbose_name_plural = _("客户号码索引")

    def __str__(self) -> str:
        return self.number


class ImportBatch(models.Model):
    """One upload of a customer file and what came of each row."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("上传人"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变"), default=0)
    error_count = models.PositiveIntegerField(_("错误行"), default=0)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    failure = models.TextField(_("失败原因"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%Y-%m-%d %H:%M})"
