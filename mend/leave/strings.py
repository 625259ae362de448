"""Words of the leave pages, translated on the server: the templates use them through
``display`` and the scripts get them as ``mend-strings`` (json_script)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

HARMS: dict[str, Promise] = {
    "domestic_violence": _("domestic or family violence"),
    "sexual_violence": _("sexual violence by anyone"),
    "sexual_harassment": _("sexual harassment"),
    "stalking": _("stalking"),
}

NOTICE: dict[str, Promise] = {
    "advance_or_asap": _(
        "Tell the employer in advance, or as soon as possible after the leave starts."
    ),
    "as_soon_as_possible": _("Tell the employer as soon as possible."),
    "as_soon_as_practicable": _(
        "Tell the employer as soon as you reasonably can, even after the leave starts."
    ),
    "request_no_advance": _("Ask for the leave; advance notice is not required."),
    "none_confirm_after": _(
        "No advance notice is required; confirm afterwards on the prescribed form."
    ),
    "reasonable_advance": _("Reasonable advance notice, unless that is not possible."),
    "written_advance": _("Written notice, as far in advance as is reasonable."),
    "employer_policy": _("Notice as the employer's policy asks."),
    "advance_except_emergency": _("Advance notice, except in an emergency."),
    "hours_48": _("48 hours' notice when you can."),
    "tell_start_and_length": _("Tell the employer when the leave starts and how long it lasts."),
    "form_may_be_required": _("The employer may ask you to fill in a notice form."),
    "unknown": _("The notice rule is not confirmed."),
}

DOCUMENTATION: dict[str, Promise] = {
    "none": _("No proof may be required."),
    "reasonable": _("The employer may ask for proof that is reasonable in the circumstances."),
    "listed": _("The employer may ask for one of the documents the law lists."),
    "in_writing_after": _("The employer may ask in writing for documents after you return."),
    "after_3_days": _("Documents may be asked for only for more than 3 workdays in a row."),
    "unknown": _("What proof may be asked for is not confirmed."),
}

EVIDENCE: dict[str, Promise] = {
    "police_report": _("a police report"),
    "court_order": _("a court or protection order"),
    "medical_professional": _("a note from a doctor or other health professional"),
    "social_worker": _("a letter from a social worker"),
    "psychologist": _("a letter from a psychologist"),
    "support_agency": _("a letter from a support organisation"),
    "advocate": _("a letter from a victim advocate or counsellor"),
    "attorney": _("a letter from a lawyer"),
    "clergy": _("a letter from a member of the clergy"),
    "statutory_declaration": _("a statutory declaration"),
    "own_statement": _("your own signed statement"),
    "certification_official": _("a certificate from the official the law names"),
    "prosecutor_letter": _("a letter from a prosecutor"),
    "conviction_record": _("a record of conviction"),
}

NEVER_REQUIRED: dict[str, Promise] = {
    "police_report": _("a police report"),
    "medical_note": _("a medical note"),
    "arrest_or_conviction": _("proof of an arrest or conviction"),
}

PERIOD: dict[str, Promise] = {
    "calendar_year": _("per calendar year"),
    "12_months": _("in any 12 months"),
    "52_weeks": _("in any 52 weeks"),
    "leave_year": _("per leave year"),
    "12_months_after_incident": _("in the 12 months after each incident"),
    "none": _("with no fixed period"),
}

ROUTES: dict[str, Promise] = {
    "sick_leave": _(
        "Sick leave: time off for your own health, including your mental health, is usually "
        "sick leave. You do not have to say what caused it."
    ),
    "safety_time": _(
        "Safe time: some US states and cities let paid sick leave be used as “safe time” "
        "after violence; check your state's sick leave law."
    ),
    "accommodation": _(
        "Accommodation: if what happened affects your health, you may ask your employer to "
        "adjust your hours, duties or place of work."
    ),
    "employer_policy": _(
        "Your employer's own policy or your contract may give more than the law; ask human "
        "resources, who must keep it confidential."
    ),
    "union_or_advice": _(
        "A union, a legal clinic or a support service can tell you what applies to you."
    ),
}


def page_strings() -> dict[str, Promise]:
    """What the checker and the letter scripts show, by code."""
    words: dict[str, Promise] = {
        "outcome_covered": _("The law where you work gives you this leave."),
        "outcome_may_be_covered": _("This leave may apply to you."),
        "outcome_not_covered": _("The leave law here does not cover what happened to you."),
        "outcome_not_yet": _("You may not have worked there long enough yet for this leave."),
        "outcome_employer_too_small": _("This leave law applies only to larger employers."),
        "outcome_not_in_force": _("A leave law was passed here, but it is not in force yet."),
        "outcome_no_law": _("There is no leave law for this here."),
        "outcome_no_version": _("There was no leave law here on that day."),
        "outcome_unknown_jurisdiction": _("Mend does not have the rules for this place yet."),
        "reason_harm_unclear": _(
            "The law does not say clearly whether sexual harassment on its own counts; "
            "serious harassment may count as sexual violence."
        ),
        "reason_size_unclear": _(
            "It depends on exactly how many people work there: the law starts at {n}."
        ),
        "reason_purposes_limited": _(
            "At an employer of this size, the law covers time off for court and legal "
            "protection only."
        ),
        "reason_paid_after_service": _(
            "The paid days start after {span} of work; until then the days are unpaid."
        ),
        "reason_scope_unconfirmed": _(
            "Who this law covers is not confirmed in the sources checked."
        ),
        "needed": _("It starts after {span} of work."),
        "paid_days": _("{n} paid days"),
        "unpaid_days": _("{n} unpaid days"),
        "unpaid_weeks": _("up to {n} unpaid weeks"),
        "unpaid_weeks_by_agreement": _("up to {n} more unpaid weeks if your employer agrees"),
        "paid_hours": _("up to {n} paid hours"),
        "unpaid_hours": _("up to {n} hours, which may be unpaid"),
        "reasonable_leave": _("reasonable time off (the law sets no number of days)"),
        "span_days": _("{n} days"),
        "span_weeks": _("{n} weeks"),
        "span_months": _("{n} months"),
        "how_much": _("How much"),
        "notice": _("Notice"),
        "proof": _("Proof"),
        "self_statement": _("Your own written statement is enough."),
        "examples": _("For example: {list}."),
        "never_required": _("The employer may not require {list}."),
        "rights": _("Your rights"),
        "confidential": _("Your employer must keep what you tell them confidential."),
        "confidential_unknown": _(
            "A duty of confidentiality is not confirmed for this law; you can still ask for it."
        ),
        "no_retaliation": _("Your employer may not punish you for taking this leave."),
        "payslip_silent": _("Your pay slip must not mention this leave."),
        "sources": _("Sources"),
        "unconfirmed": _("Not confirmed"),
        "unconfirmed_groups": _(
            "Some of this is not confirmed in the sources Mend checked: {list}. Check "
            "before you rely on it."
        ),
        "stale": _("Last checked on {date}: this may have changed since."),
        "checked": _("Last checked on {date}."),
        "routes_title": _("Other routes"),
        "routes_note": _("This is information, not legal advice."),
        "may_note": _(
            "This is information, not legal advice. The law may give you this; check with "
            "your employer's human resources, a union or a legal clinic."
        ),
        "group_scope": _("who is covered"),
        "group_entitlement": _("how much"),
        "group_eligibility": _("who qualifies"),
        "group_notice": _("notice"),
        "group_documentation": _("proof"),
        "group_protection": _("confidentiality"),
        "list_and": _("{a} and {b}"),
        "letter_ready": _("Your letter is ready below. Nothing you typed has left this page."),
        "letter_no_rule": _(
            "Mend has no leave law for this place, so the letter asks for time off without "
            "citing one."
        ),
        "letter_may": _(
            "The law here may give you this leave, so the letter asks for it under that law and "
            "says you believe you qualify, without saying why. This is information, not legal "
            "advice: if you can, check with a union or a legal clinic."
        ),
        "letter_without_law": _(
            "The letter asks for time off and cites no law; “Can I take leave?” lists other "
            "routes you may have."
        ),
        "pdf_failed": _("The PDF could not be made. You can print the letter instead."),
        "saved_to_record": _("The letter was saved to your record."),
        "letter_restored": _(
            "Your letter is back, as you left it when you were signed out. It is not saved "
            "yet: choose “Save to my record” to keep it."
        ),
    }
    words.update(letter_strings())
    for table, prefix in ((NOTICE, "notice_"), (DOCUMENTATION, "docs_"), (EVIDENCE, "evidence_")):
        words.update({prefix + code: text for code, text in table.items()})
    words.update({"never_" + code: text for code, text in NEVER_REQUIRED.items()})
    words.update({"period_" + code: text for code, text in PERIOD.items()})
    words.update({"route_" + code: text for code, text in ROUTES.items()})
    return words


def letter_strings() -> dict[str, Promise]:
    """The letter's words: it cites the law only where the checker's answer lets it
    (static/js/leave/letter-text.js), and never says what happened."""
    return {
        "missing_place": _("Please choose where you work."),
        "missing_months": _(
            "Please write how many whole months you have worked there (0 if less than one)."
        ),
        "missing_harm": _("Please choose what happened, the closest of the four."),
        "missing_start": _("Please choose the first day of leave."),
        "letter_log_in_to_save": _("Log in to Keep a record first, then save the letter."),
        "letter_filename": _("leave-request"),
        "letter_subject": _("Request for leave"),
        "letter_greeting_brief": _("{to},"),
        "letter_greeting_brief_anyone": _("Hello,"),
        "letter_greeting_formal": _("Dear {to},"),
        "letter_greeting_formal_anyone": _("To whom it may concern,"),
        "letter_greeting_warm": _("Hi {to},"),
        "letter_greeting_warm_anyone": _("Hello,"),
        "letter_for_days": _(" for {n} working days"),
        "letter_body_brief": _("I am requesting {leave} under {law}, starting {start}{for_days}."),
        "letter_body_formal": _(
            "I am writing to give notice that I will take {leave}, to which I am entitled "
            "under {law}, starting {start}{for_days}."
        ),
        "letter_body_warm": _(
            "I need to take some time off under {law} ({leave}), starting {start}{for_days}. "
            "I wanted to let you know as early as I could."
        ),
        # Where the checker answers "may": she asks under the law, claims no entitlement.
        "letter_body_may_brief": _(
            "I am requesting {leave} under {law}, starting {start}{for_days}. I believe I "
            "qualify for it."
        ),
        "letter_body_may_formal": _(
            "I am writing to request {leave} under {law}, starting {start}{for_days}. I "
            "believe I qualify for this leave."
        ),
        "letter_body_may_warm": _(
            "I need to take some time off under {law} ({leave}), starting {start}{for_days}; "
            "I believe I qualify for it. I wanted to let you know as early as I could."
        ),
        "letter_body_nolaw_brief": _("I am requesting time off starting {start}{for_days}."),
        "letter_body_nolaw_formal": _("I am writing to request leave starting {start}{for_days}."),
        "letter_body_nolaw_warm": _(
            "I need to take some time off starting {start}{for_days}. I wanted to let you "
            "know as early as I could."
        ),
        "letter_no_proof": _("The law does not require me to give a reason or provide proof."),
        "letter_self_statement": _(
            "If you need documentation, I can provide a written statement, as the law allows."
        ),
        "letter_confidential_law": _("Please keep this request confidential, as the law requires."),
        "letter_confidential": _("Please keep this request confidential."),
        "letter_close_brief": _("Thank you."),
        "letter_close_formal": _("Yours sincerely,"),
        "letter_close_warm": _("Thank you for understanding,"),
    }
