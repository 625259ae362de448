"""Verifying a survivor account for the escrow: an invitation code, or a code by mail.

Guarantees:
- One verified account per mailbox, ever: "same mailbox" is decided by mailbox_key (case,
  dots and +tags never count; a listed provider's alias domain is its main domain; every
  sub-domain admitted by a listed "*.uni.example" counts as uni.example). Only an HMAC of
  that key is stored (VerifiedAddress, keyed by ESCROW_SERVER_KEY), with no link to the
  account: deleting the account does not free the mailbox. The address itself is dropped
  once the mail is sent.
- One verified account per invitation code, ever: a redeemed code stays used.
- Only domains on the allow-list, exactly; a sub-domain only through an explicit "*." entry.
- The answer to "send me a code" is the same whether or not the address was used before;
  only the owner of the mailbox learns that (from the mail), so nobody can find out by
  asking whether a colleague verified an account.
- The mail says "your Mend code" and nothing about what Mend is used for.
- Codes are single-use, expire, allow 5 tries, and are stored only as keyed hashes.
- Staff accounts can never be verified.

Not protected: the mail provider sees that a mail from Mend reached the address. Aliases an
institution sets up for one person (first.last@ and flast@) are different mailboxes to us.
Addresses verified before mailbox keys existed are found only under the exact form they were
typed in.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.accounts.roles import require_survivor
from mend.audit.actions import record_audit
from mend.crypto.canonical import EMAIL_PROVIDERS, canonical_email, mailbox
from mend.crypto.errors import InvalidIdentifier
from mend.escrow import keys
from mend.escrow.errors import Conflict, RateLimited
from mend.escrow.models import (
    EmailChallenge,
    EscrowAccount,
    InstitutionDomain,
    Invitation,
    VerificationMethod,
    VerifiedAddress,
)
from mend.lib import codes, ratelimit
from mend.lib.refusal import RefusalKind

MAX_CODE_ATTEMPTS = 5


class VerificationFailed(RefusalKind):
    STATUS, CODE = 400, "verification_failed"


# The code format is shared with training's invitations (mend.lib.codes).
new_invitation_code = codes.new_code
normalise_code = codes.normalise


def do_issue_invitations(admin: User | None, count: int, days: int) -> list[str]:
    """Make `count` invitation codes valid for `days`; return them (shown once)."""
    now = timezone.now()
    codes = [new_invitation_code() for _ in range(count)]
    with transaction.atomic():
        for code in codes:
            Invitation.objects.create(
                code_hash=keys.code_hash(code),
                created_by=admin,
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
        record_audit("escrow.invitations.issued", actor=admin, object_type="invitation")
    return codes


def _check_attempt(user: User) -> None:
    limit = ratelimit.Limit.from_setting("escrow-verify", settings.RATE_LIMIT_ESCROW_VERIFY_ACCOUNT)
    verdict = ratelimit.hit(limit, str(user.pk))
    if not verdict.allowed:
        raise RateLimited("too many tries; try again later", retry_after=verdict.retry_after)


def _verify(user: User, method: str) -> EscrowAccount:
    account, _ = EscrowAccount.objects.get_or_create(
        user=user,
        defaults={
            "escrow_id": secrets.token_bytes(32),
            "method": method,
            "verified_on": timezone.localdate(),
        },
    )
    record_audit("escrow.account.verified", count_only=True)
    return account


def do_redeem_invitation(user: User, code: str) -> EscrowAccount:
    require_survivor(user)
    _check_attempt(user)
    if EscrowAccount.objects.filter(user=user).exists():
        raise Conflict("this account is already verified")
    with transaction.atomic():
        updated = Invitation.objects.filter(
            code_hash=keys.code_hash(normalise_code(code)),
            used=False,
            expires_at__gt=timezone.now(),
        ).update(used=True)
        if updated != 1:
            raise VerificationFailed(_("This code is not valid. Check it, or ask for a new one."))
        return _verify(user, VerificationMethod.INVITATION)


def listed_domain(domain: str) -> str | None:
    """The allow-listed domain that admits `domain` (lower-case ASCII), or None.

    Exact entries only, or an explicit "*.parent" entry for the sub-domains of parent (not
    parent itself); for those the answer is the parent, so that every sub-domain's mailboxes
    count as the parent's. "*.com"-like entries (one label) never match.
    """
    parts = domain.split(".")
    parents = [".".join(parts[i:]) for i in range(1, len(parts) - 1)]
    listed = set(
        InstitutionDomain.objects.filter(
            domain__in=[domain, *(f"*.{p}" for p in parents)]
        ).values_list("domain", flat=True)
    )
    if domain in listed:
        return domain
    return next((p for p in reversed(parents) if f"*.{p}" in listed), None)


def mailbox_key(address: str, domain: str) -> str:
    """What decides "same mailbox" for verification: `address` (lower-case, as typed) under
    its provider's rules, then with any +tag and every dot removed, at `domain` (the listed
    domain that admitted it, or the provider's own).

    Errs towards "same": a wrong merge costs a colleague an invitation code, a missed one
    lets one person be several survivors (docs/escrow.md).
    """
    local, typed_domain = address.rsplit("@", 1)
    local, own_domain = mailbox(local, typed_domain, EMAIL_PROVIDERS.get(typed_domain))
    local = (local.split("+", 1)[0] or local).replace(".", "")
    return f"{local}@{own_domain if domain == typed_domain else domain}"


def do_send_address_code(user: User, address_text: str) -> None:
    """Mail a six-digit code if the address is at an allowed institution (see docstring)."""
    require_survivor(user)
    limit = ratelimit.Limit.from_setting("escrow-code", settings.RATE_LIMIT_ESCROW_CODE_ACCOUNT)
    verdict = ratelimit.hit(limit, str(user.pk))
    if not verdict.allowed:
        raise RateLimited("too many codes asked for", retry_after=verdict.retry_after)
    try:
        # As typed (lower-cased): the mail goes where she asked, tags and dots included.
        address = canonical_email(address_text, provider_rules=False).removeprefix("email:")
    except InvalidIdentifier:
        raise VerificationFailed(_("This does not look like an email address.")) from None
    domain = listed_domain(address.rpartition("@")[2])
    if domain is None:
        raise VerificationFailed(
            _("Addresses at this domain cannot be used. Ask for an invitation code instead.")
        )
    digest = keys.address_hash(mailbox_key(address, domain))
    mailbox = ratelimit.Limit.from_setting(
        "escrow-code-mailbox", settings.RATE_LIMIT_ESCROW_CODE_MAILBOX
    )
    verdict = ratelimit.hit(mailbox, digest)
    if not verdict.allowed:  # several accounts of one person: each has its own allowance
        raise RateLimited("too many codes sent to this address", retry_after=verdict.retry_after)
    # keys.address_hash(address): how an address verified before mailbox keys was kept.
    used = {digest, keys.address_hash(address)}
    if VerifiedAddress.objects.filter(address_hash__in=used).exists():
        # Dots and tags do not count, so this can reach a colleague whose address is written
        # almost the same way: it names nobody and tells her what to do instead.
        _mail(
            address,
            _(
                "This address, or one written almost the same way, has already been used to "
                "verify an account on Mend. If that was not you, ask for an invitation code "
                "instead."
            ),
        )
        # A challenge that no six digits match: her page, its expiry and the counted tries
        # are those of a fresh address, so asking does not tell whether a colleague verified.
        _challenge(user, digest, secrets.token_hex(32))
        return
    code = f"{secrets.randbelow(10**6):06d}"
    _challenge(user, digest, code)
    _mail(
        address,
        _("Your Mend code is %(code)s. It works for %(minutes)s minutes.")
        % {
            "code": code,
            "minutes": settings.ESCROW_CODE_MINUTES,
        },
    )


def _challenge(user: User, digest: str, code: str) -> None:
    EmailChallenge.objects.update_or_create(
        user=user,
        defaults={
            "address_hash": digest,
            "code_hash": keys.code_hash(code),
            "expires_at": timezone.now() + timedelta(minutes=settings.ESCROW_CODE_MINUTES),
            "attempts": 0,
        },
    )


def _mail(address: str, body: str) -> None:
    ignore = _("If you did not ask for this, you can ignore this message.")
    send_mail(_("Your Mend code"), f"{body}\n\n{ignore}\n", None, [address])


def do_confirm_address_code(user: User, code: str) -> EscrowAccount:
    require_survivor(user)
    _check_attempt(user)
    with transaction.atomic():
        account = _confirm(user, code)
    if account is None:  # raised only now, so that the counted attempt is committed
        raise VerificationFailed(_("This code is not valid or has expired. Ask for a new one."))
    return account


def _confirm(user: User, code: str) -> EscrowAccount | None:
    challenge = EmailChallenge.objects.select_for_update().filter(user=user).first()
    if challenge is None:
        return None
    if challenge.expires_at <= timezone.now() or challenge.attempts >= MAX_CODE_ATTEMPTS:
        challenge.delete()
        return None
    if not secrets.compare_digest(challenge.code_hash, keys.code_hash(normalise_code(code))):
        challenge.attempts += 1
        challenge.save(update_fields=["attempts"])
        return None
    digest = challenge.address_hash
    challenge.delete()
    try:
        with transaction.atomic():
            VerifiedAddress.objects.create(address_hash=digest)
    except IntegrityError:  # another account verified this address in the meantime
        return None
    return _verify(user, VerificationMethod.INSTITUTION)
