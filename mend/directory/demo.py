"""The demo directory: about forty fictional organisations in fifteen real US cities.

Everything is invented except the cities, their ZIP codes and ZIP centroids (from the
``zipcodes`` package, so searching by place or postcode works). Names start with
"Demo:", descriptions say "fictional", streets are plainly made up ("Example Street")
and phone numbers are in the 555-01xx range reserved for fiction.

``build()`` is deterministic: the same seed gives the same records, and every id starts
with ``ID_PREFIX``, so ``load_demo`` can find and replace the previous demo data without
touching anything else. It covers every Mend service type; hidden and on-request
addresses (safe housing); phone-only and online services; many languages; eligibility
and accessibility terms; free and paid services; Spanish translations; and the schedule
edge cases (24 hours, split sessions, monthly, overnight, closed on a holiday) in six
time zones. The result is tabular HSDS JSON, loaded through the ordinary importer.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import zipcodes

from mend.directory import taxonomy

SEED = 20261123
ID_PREFIX = "de30de30"
FIRST_ID = uuid.UUID(f"{ID_PREFIX}-0000-0000-0000-000000000000")
LAST_ID = uuid.UUID(f"{ID_PREFIX}-ffff-ffff-ffff-ffffffffffff")
NAMESPACE = uuid.UUID("0f4d2c1e-5b6a-4e8f-9c3d-7a1b2e3f4d5c")
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"
WEEKDAYS = "MO,TU,WE,TH,FR"
THANKSGIVING = date(2026, 11, 26)
CHRISTMAS = date(2026, 12, 25)

CITY_ZIPS = (
    "10001",  # New York
    "20001",  # Washington
    "02108",  # Boston
    "30303",  # Atlanta
    "33130",  # Miami
    "60601",  # Chicago
    "77002",  # Houston
    "55401",  # Minneapolis
    "80202",  # Denver
    "87102",  # Albuquerque
    "85004",  # Phoenix
    "90012",  # Los Angeles
    "94102",  # San Francisco
    "98101",  # Seattle
    "96813",  # Honolulu
)
NAME_WORDS = (
    "Harbor", "Cedar", "Lantern", "Bridge", "Compass", "Willow", "Beacon", "Juniper",
    "Meridian", "Sunrise", "Riverside", "Aspen", "Horizon", "Kestrel", "Magnolia",
    "Northstar", "Prairie", "Summit", "Tidewater", "Evergreen",
)  # fmt: skip
STREETS = ("Example Street", "Sample Avenue", "Demo Boulevard", "Placeholder Lane", "Fictional Way")
LANGUAGES = (
    ("es", "Spanish"), ("zh", "Chinese"), ("vi", "Vietnamese"), ("ar", "Arabic"),
    ("fr", "French"), ("ht", "Haitian Creole"), ("ko", "Korean"), ("ru", "Russian"),
    ("tl", "Tagalog"), ("ase", "American Sign Language"),
)  # fmt: skip

# Service type code -> (name, Spanish name, description, Spanish description).
SERVICE_TEXT = {
    "crisis-line": (
        "24-hour crisis line",
        "Línea de crisis las 24 horas",
        "Talk to a trained advocate at any time of day or night. You do not have to give "
        "your name.",
        "Hable con una persona capacitada a cualquier hora del día o de la noche. No tiene "
        "que dar su nombre.",
    ),
    "counselling": (
        "Counselling for survivors",
        "Terapia para sobrevivientes",
        "One-to-one counselling with therapists who specialise in sexual violence.",
        "Terapia individual con terapeutas especializados en violencia sexual.",
    ),
    "forensic-medical-exam": (
        "Medical and forensic exam after assault",
        "Examen médico y forense después de una agresión",
        "A specially trained nurse can treat injuries, offer emergency contraception and "
        "HIV prevention, and collect evidence if you want. You decide about the police.",
        "Una enfermera especializada puede tratar lesiones, ofrecer anticoncepción de "
        "emergencia y prevención del VIH, y recoger pruebas si usted quiere. Usted decide "
        "si acude a la policía.",
    ),
    "sexual-health": (
        "Sexual health clinic",
        "Clínica de salud sexual",
        "Testing and treatment for sexually transmitted infections, contraception and "
        "gynecological care, from trauma-informed staff.",
        "Pruebas y tratamiento de infecciones de transmisión sexual, anticoncepción y "
        "atención ginecológica, con personal formado en atención informada sobre el trauma.",
    ),
    "health-check": (
        "General health check",
        "Chequeo general de salud",
        "A check-up with a doctor or nurse, at your pace. You can ask for a female clinician.",
        "Un chequeo con un médico o una enfermera, a su ritmo. Puede pedir una profesional mujer.",
    ),
    "legal-advice": (
        "Legal advice",
        "Asesoría legal",
        "Lawyers explain your options: protective orders, reporting, civil claims, housing "
        "and immigration questions.",
        "Abogados le explican sus opciones: órdenes de protección, denuncias, demandas "
        "civiles y preguntas de vivienda e inmigración.",
    ),
    "advocacy": (
        "Advocacy and accompaniment",
        "Acompañamiento y defensa",
        "An advocate can go with you to the hospital, the police or court, and help with "
        "paperwork.",
        "Una persona de apoyo puede acompañarle al hospital, a la policía o al tribunal, y "
        "ayudarle con los trámites.",
    ),
    "safe-housing": (
        "Confidential safe housing",
        "Vivienda segura confidencial",
        "Emergency and transitional housing at a confidential address. Call the intake line "
        "to ask for a place.",
        "Vivienda de emergencia y de transición en una dirección confidencial. Llame a la "
        "línea de admisión para pedir un lugar.",
    ),
    "support-group": (
        "Survivors' support group",
        "Grupo de apoyo para sobrevivientes",
        "Meet other survivors in a small, confidential group led by a trained facilitator.",
        "Encuéntrese con otras sobrevivientes en un grupo pequeño y confidencial, guiado por "
        "una persona facilitadora.",
    ),
    "work-advice": (
        "Work and harassment advice",
        "Asesoría laboral y sobre acoso",
        "Advice on harassment at work, time off to recover, and your rights when you report.",
        "Asesoría sobre acoso en el trabajo, permisos para recuperarse y sus derechos al "
        "denunciar.",
    ),
}

ELIGIBILITY = {
    "crisis-line": ("survivors-sexual-assault", "survivors-harassment", "adults", "young-people"),
    "counselling": ("survivors-sexual-assault", "adults"),
    "forensic-medical-exam": ("survivors-sexual-assault", "women", "men", "non-binary"),
    "sexual-health": ("women", "adults", "low-income"),
    "health-check": ("adults", "older-adults", "low-income"),
    "legal-advice": ("survivors-sexual-assault", "survivors-domestic-abuse", "low-income"),
    "advocacy": ("survivors-sexual-assault", "survivors-domestic-abuse"),
    "safe-housing": ("women", "survivors-domestic-abuse", "survivors-sexual-assault"),
    "support-group": ("survivors-sexual-assault", "adults"),
    "work-advice": ("survivors-harassment", "adults"),
}


@dataclass(frozen=True)
class Kind:
    """An archetype of organisation: what it is called and what it offers."""

    noun: str
    noun_es: str
    services: tuple[str, ...]
    reach: str = "local"  # local | phone | online
    eligibility: tuple[str, ...] = ()
    paid: tuple[str, ...] = ()  # service types that charge (with a free option)


KINDS = {
    "center": Kind(
        "Survivor Center",
        "Centro para Sobrevivientes",
        ("crisis-line", "counselling", "advocacy", "support-group"),
    ),
    "shelter": Kind("Safe Housing Network", "Red de Vivienda Segura", ("safe-housing", "advocacy")),
    "hospital": Kind(
        "Hospital SANE Program",
        "Programa SANE del Hospital",
        ("forensic-medical-exam", "sexual-health"),
        eligibility=("immigration-status-not-asked",),
    ),
    "clinic": Kind(
        "Health Clinic",
        "Clínica de Salud",
        ("sexual-health", "health-check"),
        paid=("sexual-health", "health-check"),
    ),
    "legal": Kind("Legal Aid Project", "Proyecto de Ayuda Legal", ("legal-advice", "advocacy")),
    "workers": Kind(
        "Workers' Rights Center",
        "Centro de Derechos Laborales",
        ("work-advice", "legal-advice"),
        paid=("legal-advice",),
    ),
    "lgbtq": Kind(
        "LGBTQIA+ Community Center",
        "Centro Comunitario LGBTQIA+",
        ("support-group", "counselling"),
        eligibility=("lgbtqia", "non-binary"),
        paid=("counselling",),
    ),
    "immigrant": Kind(
        "Immigrant Women's Network",
        "Red de Mujeres Inmigrantes",
        ("advocacy", "legal-advice", "support-group"),
        eligibility=("immigration-status-not-asked", "women"),
    ),
    "hotline": Kind(
        "National Survivors' Helpline",
        "Línea Nacional para Sobrevivientes",
        ("crisis-line",),
        reach="phone",
        eligibility=("immigration-status-not-asked",),
    ),
    "deaf": Kind(
        "Deaf Survivors' Video Line",
        "Línea de Video para Sobrevivientes Sordas",
        ("crisis-line", "counselling"),
        reach="phone",
    ),
    "online": Kind(
        "Online Support Service",
        "Servicio de Apoyo en Línea",
        ("counselling", "support-group"),
        reach="online",
    ),
}
LOCAL_KINDS = ("center", "shelter", "hospital", "clinic", "legal", "workers", "lgbtq", "immigrant")


@dataclass(frozen=True)
class Hours:
    """One weekly (or monthly) session; 00:00-00:00 is 24 hours, 18:00-02:00 overnight."""

    byday: str
    opens: str
    closes: str
    about: str
    about_es: str
    freq: str = "WEEKLY"


ALWAYS = (Hours(EVERY_DAY, "00:00", "00:00", "Open 24 hours, every day.", "Abierto las 24 horas."),)
CLINIC = (
    Hours(WEEKDAYS, "08:00", "17:00", "Weekdays 8 am to 5 pm.", "Días laborables de 8 a 17."),
    Hours("SA", "09:00", "13:00", "Saturdays 9 am to 1 pm.", "Sábados de 9 a 13."),
)
HOURS = {
    "crisis-line": ALWAYS,
    "forensic-medical-exam": ALWAYS,
    "safe-housing": ALWAYS,
    "online": (  # overnight
        Hours(EVERY_DAY, "18:00", "02:00", "Evenings, 6 pm to 2 am.", "Noches, de 18 a 2."),
    ),
    "counselling": (  # split sessions
        Hours(WEEKDAYS, "09:00", "12:00", "Mornings, 9 am to noon.", "Mañanas, de 9 a 12."),
        Hours(WEEKDAYS, "14:00", "18:00", "Afternoons, 2 pm to 6 pm.", "Tardes, de 14 a 18."),
    ),
    "support-group": (
        Hours("1TU", "18:00", "20:00", "First Tuesday of the month, 6 pm to 8 pm.",
              "Primer martes de cada mes, de 18 a 20.", freq="MONTHLY"),
    ),
    "sexual-health": CLINIC,
    "health-check": CLINIC,
    "work-advice": (
        Hours("TU,TH", "12:00", "19:00", "Tuesdays and Thursdays, noon to 7 pm.",
              "Martes y jueves, de 12 a 19."),
    ),
    "default": (
        Hours("MO,WE,FR", "10:00", "16:00", "Monday, Wednesday and Friday, 10 am to 4 pm.",
              "Lunes, miércoles y viernes, de 10 a 16."),
    ),
}  # fmt: skip
CLOSURES = {
    "sexual-health": (CHRISTMAS, "Closed on Christmas Day.", "Cerrado el día de Navidad."),
    "health-check": (CHRISTMAS, "Closed on Christmas Day.", "Cerrado el día de Navidad."),
    "legal-advice": (THANKSGIVING, "Closed for Thanksgiving.", "Cerrado por Acción de Gracias."),
    "advocacy": (THANKSGIVING, "Closed for Thanksgiving.", "Cerrado por Acción de Gracias."),
}


@dataclass(frozen=True)
class City:
    zip_code: str
    name: str
    state: str
    latitude: float
    longitude: float
    time_zone: str
    area_code: str


# The zipcodes package has no type hints; this is the one function we call.
matching: Callable[[str], list[dict[str, Any]]] = zipcodes.matching


def city(zip_code: str) -> City:
    found = matching(zip_code)[0]
    return City(
        zip_code=zip_code,
        name=found["city"],
        state=found["state"],
        latitude=float(found["lat"]),
        longitude=float(found["long"]),
        time_zone=found["timezone"],
        area_code=found["area_codes"][0],
    )


def plan() -> list[tuple[str, City | None]]:
    """Which organisations exist: two or three local ones per city, then the national
    phone and online services (about forty in all)."""
    cities = [city(zip_code) for zip_code in CITY_ZIPS]
    orgs: list[tuple[str, City | None]] = []
    for n, place in enumerate(cities):
        picks = [LOCAL_KINDS[(2 * n) % 8], LOCAL_KINDS[(2 * n + 1) % 8]]
        if n % 2 == 0:
            picks.append(LOCAL_KINDS[(3 * n + 2) % 8])
        orgs.extend((kind, place) for kind in dict.fromkeys(picks))
    orgs.extend([("hotline", None), ("deaf", None), ("online", None)])
    return orgs


def build(seed: int = SEED) -> dict[str, list[dict[str, Any]]]:
    """The demo directory as tabular HSDS JSON ({"services.csv": [rows], ...})."""
    builder = Builder(random.Random(seed))  # noqa: S311 (made-up data, not secrets)
    for number, (kind, place) in enumerate(plan()):
        builder.organization(number, KINDS[kind], place)
    return builder.tables


class Builder:
    """Accumulates rows; ids are made from a per-table counter, so they are stable."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tables: dict[str, list[dict[str, Any]]] = {}
        self.counters: dict[str, int] = {}
        self.phones: dict[str, int] = {}

    def add(self, table: str, **values: Any) -> str:
        self.counters[table] = self.counters.get(table, 0) + 1
        base = uuid.uuid5(NAMESPACE, f"{table}:{self.counters[table]}")
        record_id = str(uuid.UUID(ID_PREFIX + base.hex[8:]))
        self.tables.setdefault(f"{table}.csv", []).append({"id": record_id, **values})
        return record_id

    def phone_number(self, area_code: str) -> str:
        """A number in the 555-0100..0199 range, which is reserved for fiction."""
        used = self.phones.get(area_code, 0)
        self.phones[area_code] = used + 1
        return f"+1-{area_code}-555-01{used % 100:02d}"

    # --- organisations --------------------------------------------------------------------

    def organization(self, number: int, kind: Kind, place: City | None) -> None:
        word = self.rng.choice(NAME_WORDS)
        where = f" of {place.name}" if place else ""
        where_es = f" de {place.name}" if place else ""
        about = f"A fictional {kind.noun.lower()}{' in ' + place.name if place else ''}."
        org_id = self.add(
            "organizations",
            name=f"Demo: {word} {kind.noun}{where}",
            description=f"{about} Demo data: this organisation does not exist.",
            email=f"demo{number}@example.org",
            website=f"https://example.org/demo/{number}",
            legal_status="Fictional nonprofit",
            year_incorporated=1990 + number % 30,
            translations={
                "es": {
                    "name": f"Demo: {word} {kind.noun_es}{where_es}",
                    "description": "Datos de demostración: esta organización no existe.",
                }
            },
        )
        area = place.area_code if place else "800"
        if kind.reach == "local":  # a shelter too: "call first" needs a number to call
            self.add("phones", organization_id=org_id, number=self.phone_number(area), type="voice")
        locations = self.locations(org_id, kind, place)
        for code in kind.services:
            self.service(org_id, kind, code, place, locations)

    def locations(self, org_id: str, kind: Kind, place: City | None) -> list[str]:
        if kind.reach == "phone":
            return []
        if kind.reach == "online":
            return [self.online_location(org_id)]
        assert place is not None
        if kind is KINDS["shelter"]:
            # The shelter itself is hidden; the outreach office gives its address on request.
            return [
                self.place(org_id, place, "Safe house", "hidden"),
                self.place(org_id, place, "Outreach office", "on_request"),
            ]
        return [self.place(org_id, place, "Main office", "public")]

    def online_location(self, org_id: str) -> str:
        return self.add(
            "locations",
            location_type="virtual",
            organization_id=org_id,
            name="Online (chat and video)",
            url="https://example.org/demo/chat",
            description="Private chat and video sessions in your browser.",
            time_zone="America/New_York",
            address_visibility="public",
            translations={
                "es": {
                    "name": "En línea (chat y video)",
                    "description": "Chat y videollamadas privadas en su navegador.",
                }
            },
        )

    def place(self, org_id: str, place: City, label: str, visibility: str) -> str:
        jitter = self.rng.uniform
        bus = self.rng.randint(1, 99)  # drawn first, as before: the same demo every time
        location_id = self.add(
            "locations",
            location_type="physical",
            organization_id=org_id,
            name=f"{label}, {place.name}",
            description=f"Demo data: a fictional {label.lower()} in {place.name}.",
            transportation=f"Bus {bus} stops nearby.",
            latitude=round(place.latitude + jitter(-0.02, 0.02), 5),
            longitude=round(place.longitude + jitter(-0.02, 0.02), 5),
            address_visibility=visibility,
            time_zone=place.time_zone,
            translations={"es": {"transportation": f"El autobús {bus} para cerca."}},
        )
        self.add(
            "addresses",
            location_id=location_id,
            address_1=f"{self.rng.randint(10, 999)} {self.rng.choice(STREETS)}",
            address_2=f"Suite {self.rng.randint(100, 599)}",
            city=place.name,
            state_province=place.state,
            postal_code=place.zip_code,
            country="US",
            address_type="physical",
        )
        self.accessibility(location_id)
        return location_id

    def accessibility(self, location_id: str) -> None:
        features = self.rng.sample(taxonomy.ACCESSIBILITY_FEATURES, k=self.rng.randint(1, 3))
        for term in features:
            self.attribute(location_id, "location", term)
        self.add(
            "accessibility",
            location_id=location_id,
            description=", ".join(str(term.name) for term in features) + ".",
            details="Ask us about anything else you need.",
            translations={"es": {"details": "Pregúntenos por cualquier otra cosa que necesite."}},
        )

    def attribute(self, link_id: str, entity: str, term: taxonomy.Term) -> None:
        self.add(
            "attributes",
            link_id=link_id,
            link_entity=entity,
            link_type=term.taxonomy.removeprefix("mend-").replace("-", "_"),
            taxonomy_term_id=str(term.id),
            label=str(term.name),
        )

    # --- services -------------------------------------------------------------------------

    def service(
        self, org_id: str, kind: Kind, code: str, place: City | None, locations: list[str]
    ) -> None:
        name, name_es, text, text_es = SERVICE_TEXT[code]
        paid = code in kind.paid
        fees = "Sliding scale, $20 to $60 a visit; free on a low income." if paid else "Free."
        fees_es = "Escala móvil, de 20 a 60 dólares por visita; gratis con ingresos bajos."
        service_id = self.add(
            "services",
            organization_id=org_id,
            name=f"Demo: {name}",
            description=f"{text} Demo data: fictional.",
            status="active",
            url="https://example.org/demo/services",
            application_process="Call, or walk in during opening hours.",
            fees_description=fees,
            eligibility_description="Survivors of any gender, whatever happened and when.",
            interpretation_services="Interpreters for any language, by phone, free of charge.",
            minimum_age=13 if code == "crisis-line" else None,
            assured_date=self.checked_on(),
            assurer_email="directory@example.org",
            offered_remotely=kind.reach == "phone",
            translations={
                "es": {
                    "name": f"Demo: {name_es}",
                    "description": f"{text_es} Datos de demostración: ficticio.",
                    "application_process": "Llame o venga durante el horario de atención.",
                    "fees_description": fees_es if paid else "Gratuito.",
                    "eligibility_description": "Sobrevivientes de cualquier género.",
                }
            },
        )
        self.terms(service_id, kind, code)
        self.costs(service_id, paid)
        self.languages(service_id, kind)
        if kind.reach == "phone" or code == "crisis-line":
            self.service_phone(service_id, kind, place)
        owners = self.service_at(service_id, code, locations, place)
        for owner in owners:
            self.schedules(owner, code, kind)

    def checked_on(self) -> str:
        return (date(2026, 6, 1) + timedelta(days=self.rng.randint(0, 170))).isoformat()

    def terms(self, service_id: str, kind: Kind, code: str) -> None:
        self.attribute(service_id, "service", taxonomy.BY_CODE[(taxonomy.SERVICE_TYPE, code)])
        for term_code in dict.fromkeys(ELIGIBILITY[code] + kind.eligibility):
            term = taxonomy.BY_CODE[(taxonomy.ELIGIBILITY, term_code)]
            self.attribute(service_id, "service", term)

    def costs(self, service_id: str, paid: bool) -> None:
        if not paid:
            self.cost(service_id, "Free", 0, "No charge", "Gratis", "Sin costo")
            return
        self.cost(service_id, "Standard visit", 60, "per visit", "Visita normal", "por visita")
        self.cost(service_id, "Sliding scale", 20, "lowest rate", "Escala móvil", "tarifa mínima")
        self.cost(service_id, "Low income", 0, "No charge", "Ingresos bajos", "Sin costo")

    def cost(
        self, service_id: str, option: str, amount: int, about: str, option_es: str, about_es: str
    ) -> None:
        self.add(
            "cost_options",
            service_id=service_id,
            option=option,
            amount=amount,
            currency="USD",
            amount_description=about,
            translations={"es": {"option": option_es, "amount_description": about_es}},
        )

    def languages(self, service_id: str, kind: Kind) -> None:
        chosen = [("en", "English")]
        if kind is KINDS["deaf"]:
            chosen.append(("ase", "American Sign Language"))
        else:
            chosen.append(LANGUAGES[0])  # Spanish, in most places
            extra = 3 if kind is KINDS["immigrant"] else 1
            chosen.extend(self.rng.sample(LANGUAGES[1:], k=extra))
        for code, name in chosen:
            self.add("languages", service_id=service_id, code=code, name=name)

    def service_phone(self, service_id: str, kind: Kind, place: City | None) -> None:
        video = kind is KINDS["deaf"]
        phone_id = self.add(
            "phones",
            service_id=service_id,
            number=self.phone_number(place.area_code if place else "800"),
            type="video" if video else "voice",
            description="Video calls in ASL." if video else "Calls are free and confidential.",
            translations={
                "es": {
                    "description": (
                        "Videollamadas en ASL."
                        if video
                        else "Las llamadas son gratuitas y confidenciales."
                    )
                }
            },
        )
        if not video:
            self.add("languages", phone_id=phone_id, code="es", name="Spanish")

    def service_at(
        self, service_id: str, code: str, locations: list[str], place: City | None
    ) -> list[tuple[str, str]]:
        """Where the service is given; returns the schedule owners (field, id)."""
        if not locations:  # phone-only: hours belong to the service itself
            self.add(
                "service_areas",
                service_id=service_id,
                name="United States",
                description="Anyone in the United States can call.",
            )
            return [("service_id", service_id)]
        chosen = locations[:1] if code == "safe-housing" else locations[-1:]
        owners = []
        for location_id in chosen:
            sal_id = self.add("service_at_location", service_id=service_id, location_id=location_id)
            owners.append(("service_at_location_id", sal_id))
            if code == "safe-housing" and place is not None:
                # Hidden address: the service area is what survivors see instead.
                self.add(
                    "service_areas",
                    service_id=service_id,
                    service_at_location_id=sal_id,
                    name=f"{place.name} area",
                    description=f"For people in and around {place.name}, {place.state}.",
                )
        return owners

    # --- opening hours --------------------------------------------------------------------

    def schedules(self, owner: tuple[str, str], code: str, kind: Kind) -> None:
        pattern = "online" if kind.reach == "online" else code
        # A phone-only service has no location, hence no IANA zone: its hours carry the
        # HSDS UTC offset instead (US Eastern; mend/search reads it).
        remote = owner[0] == "service_id"
        for hours in HOURS.get(pattern, HOURS["default"]):
            self.add(
                "schedules",
                **{owner[0]: owner[1]},
                freq=hours.freq,
                byday=hours.byday,
                opens_at=hours.opens,
                closes_at=hours.closes,
                timezone=-5 if remote else None,
                description=hours.about + (" US Eastern time." if remote else ""),
                translations={
                    "es": {"description": hours.about_es + (" Hora del Este." if remote else "")}
                },
            )
        if pattern in CLOSURES:
            day, about, about_es = CLOSURES[pattern]
            self.closed(owner, day, about, about_es)

    def closed(self, owner: tuple[str, str], day: date, about: str, about_es: str) -> None:
        """A closure: no opening times, valid on that day only (mend/search/hours.py)."""
        self.add(
            "schedules",
            **{owner[0]: owner[1]},
            valid_from=day.isoformat(),
            valid_to=day.isoformat(),
            description=about,
            translations={"es": {"description": about_es}},
        )
