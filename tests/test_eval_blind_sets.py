"""Catalogs written in English only, with questions written without reading the interpreter (issue 9's blind protocol):
tests/fixtures/blind_logistics, blind_hr, blind_saas, blind_retail, blind_hotels, blind_delivery, blind_clinics,
blind_elearning, blind_manufacturing, blind_telecom, blind_property, blind_lending, blind_gyms, blind_energy,
blind_gaming, blind_carrental, blind_restaurants, blind_streaming, blind_pharmacy, blind_fieldservice, blind_vet,
blind_coworking, blind_waste, blind_ticketing, blind_water, blind_solar, blind_dental, blind_bikeshare,
blind_marketplace, blind_staffing, blind_lawfirm, blind_nonprofit, blind_airport, blind_petcare, blind_brokerage,
blind_teashop, blind_devops, blind_trucking, blind_publisher, blind_salon, blind_quarry, blind_homecare,
blind_permits, blind_cleaning, blind_bowling, blind_remittance, blind_printshop, blind_driving, blind_pestcontrol,
blind_optician, blind_brewery, blind_translation, blind_golf, blind_fireems, blind_florist, blind_laundry,
blind_ferry, blind_physio, blind_bnpl, blind_billboard, blind_catering, blind_tutoring, blind_dairy, blind_dmv,
blind_msp, blind_funeral, blind_propane, blind_roofing, blind_partyhire, blind_elevator, blind_alarm, blind_marina,
blind_planthire, blind_charter, blind_pawnshop, blind_imaging, blind_campground, blind_agri, blind_civic,
blind_venue, blind_autoservice, blind_seafood, blind_plasma, blind_seniorliving, blind_industrialgas, blind_clinlab,
blind_bakery, blind_schoolbus, blind_movers, blind_poolservice, blind_scrapyard, blind_nursery, blind_dialysis,
blind_vending, blind_nemt, blind_hearing, blind_watercooler, blind_towing, blind_collections, blind_landscaping,
blind_customs, blind_sawmill, blind_security, blind_inspection, blind_escaperooms, blind_coldstorage,
blind_colocation, blind_winery, blind_court, blind_auction, blind_payroll, blind_tollroad, blind_hvac, blind_bookstore,
blind_rail, blind_aquarium, blind_locksmith, blind_radio, blind_dentallab, blind_roaster, blind_cro, blind_bpo and
blind_schoolmeals, blind_animalshelter and blind_foodbank, first runs recorded in their FIRST_RUN.md.

All 125 are tuning sets: blind_hr was the held-out set of session 2, blind_saas and blind_retail of
session 3, blind_hotels and blind_delivery of session 4, blind_clinics, blind_elearning, blind_manufacturing,
blind_telecom and blind_property of session 5, blind_lending and blind_gyms of session 6, blind_energy, blind_gaming and
blind_carrental of session 7, blind_restaurants held out in session 7, blind_fieldservice and blind_vet first run in
session 9, blind_coworking and blind_waste in session 10, blind_ticketing, blind_water, blind_solar and blind_dental in
session 11, blind_bikeshare and blind_marketplace in session 12, blind_staffing, blind_lawfirm, blind_nonprofit,
blind_airport, blind_petcare and blind_brokerage in session 13, blind_teashop, blind_devops, blind_trucking,
blind_publisher and blind_salon in session 14, blind_quarry and blind_homecare in session 15, blind_permits and
blind_cleaning in session 18, blind_bowling, blind_remittance, blind_printshop, blind_driving, blind_pestcontrol and
blind_optician in session 19, blind_brewery, blind_translation, blind_golf, blind_fireems, blind_florist, blind_laundry,
blind_ferry, blind_physio and blind_bnpl in session 25, blind_billboard, blind_catering, blind_tutoring, blind_dairy,
blind_dmv, blind_msp, blind_funeral, blind_propane, blind_roofing, blind_partyhire, blind_elevator, blind_alarm and
blind_marina in session 26, blind_pawnshop, blind_imaging and blind_campground in session 27, blind_agri, blind_civic
and blind_venue in session 28, blind_autoservice, blind_seafood and blind_plasma (written in session 30),
blind_seniorliving and blind_industrialgas in session 31, blind_clinlab, blind_bakery and blind_schoolbus in session 32,
blind_movers, blind_poolservice, blind_scrapyard, blind_nursery, blind_dialysis, blind_vending, blind_nemt,
blind_hearing and blind_watercooler in session 35, blind_towing, blind_collections, blind_landscaping, blind_customs,
blind_sawmill, blind_security, blind_inspection, blind_escaperooms, blind_coldstorage, blind_colocation, blind_winery
and blind_court in session 36, blind_auction, blind_payroll, blind_tollroad, blind_hvac, blind_bookstore and blind_rail
in session 39, blind_aquarium, blind_locksmith and blind_radio in session 40, blind_dentallab in session 41,
blind_roaster and blind_cro in session 42, blind_bpo in session 43, each measured once (its FIRST_RUN.md) before its
misses were worked on, blind_schoolmeals in session 46, blind_animalshelter in session 47 and blind_foodbank in
session 48.
blind_airline (session 5), blind_rides
(session 6), blind_cards (session 7), blind_transit, blind_wholesale, blind_farming (session 8), blind_construction and
blind_evcharging (session 9), blind_cinema, blind_dealer, blind_travel and blind_childcare (session 10), blind_mealkit
and blind_admissions (session 11), blind_library and blind_parking (session 12), blind_carwash, blind_museum and
blind_hospital (session 13), blind_themepark, blind_storage, blind_skiresort and blind_cruise (session 14), blind_h15a,
blind_h15b and blind_h15c (session 15), blind_port and blind_sportsclub (session 39), blind_shipyard (session 40),
blind_therapy (session 41), blind_taxprep (session 42), blind_crowdfund (session 43), blind_windfarm (session 46) and
blind_cloudhost (session 47) and blind_flightschool (session 48; their FIRST_RUN.md have their totals only) are
held out:
no fix is tuned on them, and they are not scored here. The figures
asserted are the ones reached, so a change that loses them fails here. A filter other than the one expected counts as
right where it selects the same rows in the warehouse (the same number), as `metricloop eval` scores. Real pieces
throughout: the catalog, the warehouse built by the folder's generator, the bundled embedding model, and the slim
Chinese segmenter the runtime installs (so the figures are `metricloop eval`'s).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.core.text import has_cjk, use_segmenter
from metricloop.core.understand.evaluate import Report, evaluate, language_of, parse_cases, to_date_twins
from metricloop.eval_runner import same_rows
from metricloop.runtime import build_service
from metricloop.settings import Settings
from set_interpreters import set_interpreter
from test_generality import shared_embedding_cache

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class Reached:
    """What a set reached: accuracy floors and false-answer ceilings (fractions of its questions)."""

    folder: str
    accuracy: float
    zh_accuracy: float
    false_rate: float
    zh_false_rate: float


# first runs: logistics 56.3% right, 18/103 false (Chinese 1/31); HR 54.4% right, 15/103 false (Chinese 1/32);
# SaaS 70.6% right, 8/126 false (Chinese 19/40); retail 66.7% right, 2/93 false (Chinese 8/28) — each FIRST_RUN.md
SETS = [Reached("blind_logistics", accuracy=101 / 103, zh_accuracy=1, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_hr", accuracy=101 / 103, zh_accuracy=31 / 32, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_saas", accuracy=122 / 126, zh_accuracy=0.95, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_retail", accuracy=1, zh_accuracy=1, false_rate=0.0, zh_false_rate=0.0),
        # held out in session 4 (first runs: hotels 68.5%, 9/92 false; delivery 56.7%, 12/97 false), tuning since
        Reached("blind_hotels", accuracy=87 / 92, zh_accuracy=29 / 32, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_delivery", accuracy=81 / 97, zh_accuracy=28 / 33, false_rate=1 / 97, zh_false_rate=0.0),
        # held out in session 5 (first runs: clinics 65.3%, 9/118 false; e-learning 75.7%, 7/103; manufacturing
        # 73.5%, 4/117), tuning since
        # (session 6: the everyday-words glossary renders the synonym "door-to-doc", so a scheduling question about
        # 医生 is asked back among the wait metrics instead of matching none — a refusal either way)
        Reached("blind_clinics", accuracy=110 / 118, zh_accuracy=36 / 39, false_rate=1 / 118, zh_false_rate=0.0),
        Reached("blind_elearning", accuracy=95 / 103, zh_accuracy=35 / 39, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_manufacturing", accuracy=106 / 117, zh_accuracy=38 / 43,
                false_rate=1 / 117, zh_false_rate=1 / 43),
        # written last in session 5 and measured on its final interpreter (telecom 72.7%, 1/99 false; property 68.4%,
        # 5/98), tuning since
        # (session 7: a sales commission the catalog lacks, 销售提成, is asked back among Devices sold — "sold" said as
        # 销售 — instead of matching none: a refusal either way)
        Reached("blind_telecom", accuracy=86 / 99, zh_accuracy=28 / 36, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_property", accuracy=87 / 98, zh_accuracy=29 / 36, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 6 (first runs: lending 61.9%, 7/105 false; gyms 66.3%, 9/101 false), tuning since;
        # the third set of that round, blind_rides, is held out and never run here
        Reached("blind_lending", accuracy=96 / 105, zh_accuracy=35 / 39, false_rate=1 / 105, zh_false_rate=0.0),
        Reached("blind_gyms", accuracy=88 / 101, zh_accuracy=29 / 34, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 7 (first runs: energy 72.1%, 4/104 false; gaming 72.5%, 2/109 false), tuning since;
        # the third set of that round, blind_restaurants, is held out and never run here
        Reached("blind_energy", accuracy=95 / 104, zh_accuracy=32 / 37, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_gaming", accuracy=97 / 109, zh_accuracy=0.775, false_rate=0.0, zh_false_rate=0.0),
        # written blind late in session 7 and run first on its final interpreter (car rental 67.0%, 4/106 false), tuning
        # since; its twin, blind_cards, is held out
        Reached("blind_carrental", accuracy=94 / 106, zh_accuracy=31 / 38, false_rate=0.0, zh_false_rate=0.0),
        # held out in session 7 (first run 74.1%, 5/108 false), its failure list read at the end of that session:
        # spent, tuning since session 8
        Reached("blind_restaurants", accuracy=96 / 108, zh_accuracy=35 / 44, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 8 (first runs on the session's starting interpreter: streaming 80.0%, 4/115 false;
        # pharmacy 73.8%, 5/103 false), tuning since; the third set of that round, blind_transit, is held out
        Reached("blind_streaming", accuracy=103 / 115, zh_accuracy=36 / 43, false_rate=2 / 115, zh_false_rate=2 / 43),
        Reached("blind_pharmacy", accuracy=94 / 103, zh_accuracy=34 / 39, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 9 (first run 63.7%, 8/102 false, on 542d894), tuning since; its twin,
        # blind_construction, is held out
        Reached("blind_fieldservice", accuracy=86 / 102, zh_accuracy=30 / 38, false_rate=1 / 102, zh_false_rate=1 / 38),
        # written blind in session 9 (first run 79.2%, 8/125 false, on 1c88eb4), tuning since; its twin,
        # blind_evcharging, is held out
        Reached("blind_vet", accuracy=0.88, zh_accuracy=36 / 44, false_rate=1 / 125, zh_false_rate=1 / 44),
        # written blind in session 10 (first runs on 662239c: coworking 72.2%, 1/97 false; waste 75.4%, 4/118 false),
        # tuning since; their twins, blind_cinema and blind_dealer, are held out
        Reached("blind_coworking", accuracy=87 / 97, zh_accuracy=31 / 35, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_waste", accuracy=105 / 118, zh_accuracy=37 / 42, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 11 (first runs on aebbb55: ticketing 79.2%, 6/106 false; water 66.4%, 3/107; solar
        # 68.5%, 8/124; dental 82.7%, 6/104), tuning since; the same round's blind_mealkit and blind_admissions are
        # held out
        Reached("blind_ticketing", accuracy=95 / 106, zh_accuracy=32 / 35, false_rate=0 / 106, zh_false_rate=0.0),
        Reached("blind_water", accuracy=91 / 107, zh_accuracy=28 / 39, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_solar", accuracy=99 / 124, zh_accuracy=30 / 44, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_dental", accuracy=96 / 104, zh_accuracy=33 / 38, false_rate=0 / 104, zh_false_rate=0.0),
        # written blind in session 12 (first runs on cb46606: bike share 61.7%, 9/120 false; marketplace 75.8%, 11/120
        # false), tuning since; the same round's blind_library and blind_parking are held out
        Reached("blind_bikeshare", accuracy=97 / 120, zh_accuracy=27 / 40, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_marketplace", accuracy=106 / 120, zh_accuracy=37 / 40, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 13 (first runs on 26b7242: staffing 80.8%, 0/120 false; law firm 75.8%, 2/120;
        # food bank 68.6%, 4/118 — and, round 2 on feb7ad2: airport 70.0%, 5/120; pet care 85.0%, 2/120; brokerage
        # 70.0%, 6/120), tuning since; the same rounds' blind_carwash, blind_museum and blind_hospital are held out
        Reached("blind_staffing", accuracy=112 / 120, zh_accuracy=38 / 42, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_lawfirm", accuracy=0.925, zh_accuracy=38 / 41, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_nonprofit", accuracy=99 / 118, zh_accuracy=33 / 44, false_rate=1 / 118, zh_false_rate=1 / 44),
        Reached("blind_airport", accuracy=98 / 120, zh_accuracy=34 / 42, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_petcare", accuracy=110 / 120, zh_accuracy=38 / 41, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_brokerage", accuracy=102 / 120, zh_accuracy=36 / 39, false_rate=1 / 120, zh_false_rate=0.0),
        # written blind in session 14 (first runs on 8fd9706: tea shops 75.8%, 2/120 false; engineering operations
        # 80.7%, 3/114; trucking 73.5%, 1/117 — and, round 2 on fa7534b: news publisher 80.5%, 6/118; hair salons
        # 80.7%, 2/119), tuning since; the same rounds' blind_themepark, blind_storage, blind_skiresort and
        # blind_cruise are held out
        Reached("blind_teashop", accuracy=100 / 120, zh_accuracy=36 / 47, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_devops", accuracy=103 / 114, zh_accuracy=39 / 42, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_trucking", accuracy=107 / 117, zh_accuracy=37 / 42, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_publisher", accuracy=112 / 118, zh_accuracy=43 / 44, false_rate=1 / 118, zh_false_rate=0.0),
        Reached("blind_salon", accuracy=111 / 119, zh_accuracy=37 / 41, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 15 (first runs on cea3f61: aggregates quarry 63.9%, 1/119 false; home care agency
        # 73.1%, 0/119), tuning since; the same round's blind_h15a, blind_h15b and blind_h15c are held out
        Reached("blind_quarry", accuracy=95 / 119, zh_accuracy=24 / 41, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_homecare", accuracy=100 / 119, zh_accuracy=29 / 41, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 18 (first runs on 71a940d: building permits office 70.8%, 10/120 false — 77.5%,
        # 2/120 with its compare names spelled as the query model has them; commercial cleaning contractor 83.3%,
        # 2/120), tuning since
        Reached("blind_permits", accuracy=104 / 120, zh_accuracy=33 / 45, false_rate=1 / 120, zh_false_rate=1 / 45),
        Reached("blind_cleaning", accuracy=109 / 120, zh_accuracy=39 / 46, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 19 (first runs on 923bf8e: bowling centre chain 76.7%, 3/120 false; money-transfer
        # company 75.0%, 6/120; print and copy shops 80.0%, 4/120), tuning since
        Reached("blind_bowling", accuracy=104 / 120, zh_accuracy=35 / 47, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_remittance", accuracy=95 / 120, zh_accuracy=25 / 42, false_rate=0 / 120, zh_false_rate=0.0),
        Reached("blind_printshop", accuracy=101 / 120, zh_accuracy=30 / 44, false_rate=1 / 120, zh_false_rate=1 / 44),
        # written blind in session 19's second round (first runs on 775d044: driving schools 70.8%, 10/120 false;
        # pest control 69.2%, 10/120; opticians 82.5%, 8/120), tuning since
        Reached("blind_driving", accuracy=90 / 120, zh_accuracy=22 / 45, false_rate=4 / 120, zh_false_rate=4 / 45),
        Reached("blind_pestcontrol", accuracy=91 / 120, zh_accuracy=29 / 48, false_rate=3 / 120,
                zh_false_rate=1 / 48),
        Reached("blind_optician", accuracy=112 / 120, zh_accuracy=42 / 45, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 25 (first runs on d525be9: craft brewery 70.0%, 6/120 false; translation agency
        # 75.8%, 3/120; golf course operator 75.0%, 3/120), tuning since
        Reached("blind_brewery", accuracy=94 / 120, zh_accuracy=31 / 47, false_rate=2 / 120, zh_false_rate=0.0),
        Reached("blind_translation", accuracy=99 / 120, zh_accuracy=34 / 46, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_golf", accuracy=93 / 120, zh_accuracy=26 / 45, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 25's second round (first runs on 8ee8883: fire and EMS department 63.3%, 1/120
        # false; florist chain 87.5%, 2/120; industrial laundry 74.2%, 4/120), tuning since
        Reached("blind_fireems", accuracy=95 / 120, zh_accuracy=36 / 46, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_florist", accuracy=106 / 120, zh_accuracy=38 / 45, false_rate=1 / 120, zh_false_rate=0.0),
        Reached("blind_laundry", accuracy=94 / 120, zh_accuracy=31 / 48, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 25's third round (first runs on 66bf054: ferry operator 62.5%, 7/120 false;
        # physical-therapy chain 65.0%, 9/120; buy-now-pay-later provider 76.7%, 3/120), tuning since
        Reached("blind_ferry", accuracy=93 / 120, zh_accuracy=33 / 47, false_rate=1 / 120, zh_false_rate=1 / 47),
        Reached("blind_physio", accuracy=94 / 120, zh_accuracy=32 / 44, false_rate=0 / 120, zh_false_rate=0 / 44),
        Reached("blind_bnpl", accuracy=95 / 120, zh_accuracy=32 / 47, false_rate=1 / 120, zh_false_rate=0.0),
        # written blind in session 26 (first runs on 94bf30b: billboard company 68.3%, 3/120 false; event caterer
        # 76.7%, 1/120; tutoring chain 80.8%, 4/120), tuning since
        Reached("blind_billboard", accuracy=109 / 120, zh_accuracy=41 / 48, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_catering", accuracy=107 / 120, zh_accuracy=39 / 48, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_tutoring", accuracy=105 / 120, zh_accuracy=38 / 49, false_rate=0.0, zh_false_rate=0.0),
        # session 26's second round (first runs on 3697765: dairy cooperative 80.8%, 3/120 false; motor-vehicles
        # department 77.5%, 3/120; managed IT service provider 72.5%, 2/120), tuning since
        Reached("blind_dairy", accuracy=106 / 120, zh_accuracy=38 / 49, false_rate=1 / 120, zh_false_rate=1 / 49),
        Reached("blind_dmv", accuracy=98 / 120, zh_accuracy=33 / 48, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_msp", accuracy=100 / 120, zh_accuracy=40 / 50, false_rate=0.0, zh_false_rate=0.0),
        # session 26's third round (first runs on f76c755: funeral home group 71.7%, 1/120 false; propane distributor
        # 72.5%, 8/120; roofing contractor 85.8%, 2/120), tuning since
        Reached("blind_funeral", accuracy=102 / 120, zh_accuracy=38 / 49, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_propane", accuracy=107 / 120, zh_accuracy=39 / 47, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_roofing", accuracy=108 / 120, zh_accuracy=40 / 47, false_rate=1 / 120, zh_false_rate=0.0),
        # session 26's fourth round (first runs on d056430: party-hire company 87.5%, 2/120 false; elevator maintenance
        # contractor 68.3%, 3/120; alarm monitoring company 80.0%, 5/120; marina group 75.8%, 2/120; on 22fe8d9,
        # the same interpreter: plant-hire company 73.3%, 10/120; boat charters 73.3%, 1/120), tuning since
        Reached("blind_partyhire", accuracy=107 / 120, zh_accuracy=38 / 47, false_rate=0 / 120, zh_false_rate=0.0),
        Reached("blind_elevator", accuracy=99 / 120, zh_accuracy=37 / 50, false_rate=3 / 120, zh_false_rate=3 / 50),
        Reached("blind_alarm", accuracy=100 / 120, zh_accuracy=32 / 48, false_rate=2 / 120, zh_false_rate=1 / 48),
        Reached("blind_marina", accuracy=97 / 120, zh_accuracy=35 / 54, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_planthire", accuracy=92 / 120, zh_accuracy=30 / 44, false_rate=0 / 120, zh_false_rate=0 / 44),
        Reached("blind_charter", accuracy=102 / 120, zh_accuracy=34 / 48, false_rate=0 / 120, zh_false_rate=0.0),
        # session 27 (first runs on c6dfa18: pawn shop chain 66.7%, 11/120 false; outpatient imaging centres 63.3%,
        # 1/120; campground and RV parks 75.8%, 1/120) and session 28 (first runs on c6dfa18's source: farm supply and
        # custom application 75.0%, 2/120; city 311 service center 69.2%, 2/120; live events venues 77.5%, 1/120);
        # the floors were the first runs; session 29 (当金 as loan principal, "will X look like", a metric's acronym)
        # raised pawnshop, imaging and civic, and the six trades' Chinese words (营位, 二消, 复扫率, 赎当 …) all six
        Reached("blind_pawnshop", accuracy=99 / 120, zh_accuracy=36 / 48, false_rate=1 / 120, zh_false_rate=0.0),
        Reached("blind_imaging", accuracy=86 / 120, zh_accuracy=33 / 53, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_campground", accuracy=105 / 120, zh_accuracy=47 / 55, false_rate=1 / 120, zh_false_rate=1 / 55),
        Reached("blind_agri", accuracy=105 / 120, zh_accuracy=36 / 46, false_rate=1 / 120, zh_false_rate=1 / 46),
        Reached("blind_civic", accuracy=106 / 120, zh_accuracy=39 / 47, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_venue", accuracy=103 / 120, zh_accuracy=34 / 46, false_rate=1 / 120, zh_false_rate=1 / 46),
        # written in session 30, first run in session 31 on 154aaa9 (tyre and auto service 75.0%, 4/156 false; seafood
        # processor 75.4%, 6/142; plasma centres 66.7%, 2/135); session 31 asks back what the first two answered
        # wrongly (values of two dimensions side by side, a breakdown said as a clause, 上岸量 as weight or count)
        Reached("blind_autoservice", accuracy=128 / 156, zh_accuracy=47 / 64, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_seafood", accuracy=114 / 142, zh_accuracy=37 / 53, false_rate=1 / 142, zh_false_rate=1 / 53),
        Reached("blind_plasma", accuracy=118 / 135, zh_accuracy=40 / 50, false_rate=0.0, zh_false_rate=0.0),
        # written and first run in session 31 on ba16960 (senior living 79.7%, 3/148 false): the floor is the first run
        Reached("blind_seniorliving", accuracy=122 / 148, zh_accuracy=50 / 69, false_rate=1 / 148,
                zh_false_rate=1 / 69),
        # written and first run in session 31 on ba16960's source (industrial gas distributor 65.5%, 12/145 false);
        # 瓶租收入, 回收了多少空瓶 (cylinder rentals, empties) are asked back since, never answered with Net revenue
        Reached("blind_industrialgas", accuracy=126 / 145, zh_accuracy=55 / 62, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 32 and run first on 3b5826f (clinical lab 73.8%, 6/141 false; bakery 74.2%, 1/128;
        # school bus 69.1%, 1/123): their first runs are their floors, raised by fixes since (session 33: district_name
        # said "district"; session 34: "the clinics" no longer the client type Walk-in Clinic, and the Chinese these
        # trades say — 回款, 出结果, 科室, 采血点, 罚款, 抛锚, 学区, 车型, 替班 … in the glossary)
        Reached("blind_clinlab", accuracy=121 / 141, zh_accuracy=46 / 56, false_rate=1 / 141, zh_false_rate=0.0),
        Reached("blind_bakery", accuracy=96 / 128, zh_accuracy=28 / 47, false_rate=1 / 128, zh_false_rate=1 / 47),
        Reached("blind_schoolbus", accuracy=103 / 123, zh_accuracy=43 / 50, false_rate=1 / 123, zh_false_rate=0.0),
        # written blind in session 35 and run first on df1bcff (movers 75.5%, 4/139 false; pool service 81.5%, 0/130):
        # the movers' four wrong answers fixed since (理赔数量/理赔件数 a count, never the Claims paid money nor a
        # truck's "unit number"; "long distance move revenue" the revenue of long-distance moves)
        Reached("blind_movers", accuracy=128 / 139, zh_accuracy=46 / 52, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_poolservice", accuracy=106 / 130, zh_accuracy=32 / 50, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 35 and run first on f6bb364 (scrap metal recycler 74.8%, 3/131 false), its three
        # wrong answers fixed since (库存周转天数 a span in days, never the stock on hand; "roll-off calls" the metric's
        # own description, no truck-type filter; "how much did we pay out for scrap" never the Scrap sales)
        Reached("blind_scrapyard", accuracy=108 / 131, zh_accuracy=36 / 49, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 35's second round and run first on 1cf9940 (plant nursery 77.4%, 0/133 false;
        # dialysis clinics 71.7%, 1/127; vending operator 78.0%, 2/132), the three wrong answers fixed since ("PCT
        # turnover" is no PCT hours; "per day" of Sales per machine per day is no daily series; 换成报废金额呢 after the
        # spoilage rate is the money written off)
        Reached("blind_nursery", accuracy=116 / 133, zh_accuracy=40 / 50, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_dialysis", accuracy=116 / 127, zh_accuracy=42 / 48, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_vending", accuracy=113 / 132, zh_accuracy=37 / 49, false_rate=0.0, zh_false_rate=0.0),
        # session 35's third round, run first on fd6486d (NEMT 80.4%, 2/138 false; hearing clinics 80.7%, 2/135; water
        # delivery 81.3%, 1/134); fixed since: 前一个季度 is the quarter before the thread's, never Q1; "mpg" is never
        # the fuel cost (asked back among the fuel metrics). Open: "deadhead miles" answered with Billed miles, "average
        # wait time on will-call pickups" with the on-time pickup rate, "patients got fitted with their new aids" with
        # New patients
        Reached("blind_nemt", accuracy=116 / 138, zh_accuracy=37 / 51, false_rate=0 / 138, zh_false_rate=0.0),
        Reached("blind_hearing", accuracy=124 / 135, zh_accuracy=45 / 52, false_rate=0 / 135, zh_false_rate=0.0),
        Reached("blind_watercooler", accuracy=110 / 134, zh_accuracy=35 / 53, false_rate=0.0, zh_false_rate=0.0),
        # written blind in session 36 and run first on the interpreter committed at that moment (4806c67's; towing
        # 97/132, 0 false; debt collection 84/133, 10 false; landscaping 109/146, 1; customs broker 91/135, 2; sawmill
        # 88/132, 3; security guards 107/140, 6; home inspection 98/134, 3; escape rooms 101/139, 2; cold storage
        # 88/132, 3; colocation 91/133, 2; winery 92/137, 6; municipal court 84/132, 3 — each FIRST_RUN.md), tuning
        # since (the floors
        # below after session 37's fixes and trade glossary)
        Reached("blind_towing", accuracy=114 / 132, zh_accuracy=40 / 52, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_collections", accuracy=118 / 133, zh_accuracy=43 / 50, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_landscaping", accuracy=123 / 146, zh_accuracy=41 / 55, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_customs", accuracy=112 / 135, zh_accuracy=37 / 53, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_sawmill", accuracy=111 / 132, zh_accuracy=36 / 51, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_security", accuracy=129 / 140, zh_accuracy=50 / 52, false_rate=2 / 140, zh_false_rate=0.0),
        Reached("blind_inspection", accuracy=111 / 134, zh_accuracy=40 / 52, false_rate=1 / 134, zh_false_rate=0.0),
        Reached("blind_escaperooms", accuracy=120 / 139, zh_accuracy=47 / 52, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_coldstorage", accuracy=100 / 132, zh_accuracy=35 / 52, false_rate=1 / 132, zh_false_rate=0.0),
        Reached("blind_colocation", accuracy=110 / 133, zh_accuracy=44 / 53, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_winery", accuracy=118 / 137, zh_accuracy=45 / 54, false_rate=1 / 137, zh_false_rate=0 / 54),
        Reached("blind_court", accuracy=107 / 132, zh_accuracy=39 / 52, false_rate=2 / 132, zh_false_rate=2 / 52),
        # written blind in session 39 and run first on the interpreter committed at 4279e87 (auction house 86/135, 3
        # false; payroll bureau 96/138, 5; toll road 91/132, 2 — each FIRST_RUN.md; the same round's container terminal,
        # blind_port, is held out: 92/138, 0 false), tuning since (the floors below after session 39's fixes)
        Reached("blind_auction", accuracy=109 / 135, zh_accuracy=38 / 52, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_payroll", accuracy=109 / 138, zh_accuracy=36 / 52, false_rate=4 / 138, zh_false_rate=2 / 52),
        Reached("blind_tollroad", accuracy=109 / 132, zh_accuracy=36 / 50, false_rate=0 / 132, zh_false_rate=0.0),
        # session 39's second round, run first on 677d71e (HVAC contractor 96/132, 1 false; bookstore chain 110/162, 3;
        # short-line railroad 87/131, 5; the same round's youth sports club, blind_sportsclub, is held out: 103/132, 1),
        # tuning since
        Reached("blind_hvac", accuracy=105 / 132, zh_accuracy=34 / 50, false_rate=0 / 132, zh_false_rate=0 / 50),
        Reached("blind_bookstore", accuracy=135 / 162, zh_accuracy=52 / 66, false_rate=0 / 162, zh_false_rate=0.0),
        Reached("blind_rail", accuracy=110 / 131, zh_accuracy=37 / 51, false_rate=2 / 131, zh_false_rate=0.0),
        # session 40's four sets, run first on 2859fbb (public aquarium 92/132, 1 false; mobile locksmith 96/132, 0;
        # local radio group 89/132, 2; the same round's boatyard, blind_shipyard, is held out: 89/143, 2), tuning since
        Reached("blind_aquarium", accuracy=101 / 132, zh_accuracy=34 / 57, false_rate=1 / 132, zh_false_rate=1 / 57),
        Reached("blind_locksmith", accuracy=110 / 132, zh_accuracy=40 / 53, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_radio", accuracy=105 / 132, zh_accuracy=41 / 54, false_rate=1 / 132, zh_false_rate=0.0),
        # session 41's two sets, run first on 1d966c8 (dental lab group 92/143, 1 false; the same round's counseling
        # practice, blind_therapy, is held out: 92/142, 3), tuning since
        Reached("blind_dentallab", accuracy=108 / 143, zh_accuracy=41 / 60, false_rate=0.0, zh_false_rate=0.0),
        # session 42's sets, run first on 7fac3aa (coffee roaster 92/141, 1 false; contract research organization
        # 85/144, 6; the same round's tax-preparation chain, blind_taxprep, is held out: 88/132, 0), tuning since (the
        # floors below after session 42's fixes and trade glossary H)
        Reached("blind_roaster", accuracy=119 / 141, zh_accuracy=49 / 60, false_rate=0.0, zh_false_rate=0.0),
        Reached("blind_cro", accuracy=113 / 144, zh_accuracy=43 / 58, false_rate=1 / 144, zh_false_rate=0.0),
        # session 43's sets, run first on 5d9e3c6 (contact-center outsourcer 112/139, 1 false; the same round's
        # crowdfunding platform, blind_crowdfund, is held out: 96/139, 1), tuning since (the floor below after trade
        # glossary I and session 43's fixes)
        Reached("blind_bpo", accuracy=127 / 139, zh_accuracy=52 / 56, false_rate=0 / 139, zh_false_rate=0.0),
        # session 46's sets, run first on 7ce7230 (school district nutrition services 90/138, 4 false; the same round's
        # wind farm operator, blind_windfarm, is held out: 92/140, 4), tuning since (the floor below after session 47's
        # trade glossary J)
        Reached("blind_schoolmeals", accuracy=109 / 138, zh_accuracy=37 / 54, false_rate=2 / 138,
                zh_false_rate=2 / 54),
        # session 47's sets, run first on 0224cbe (regional animal shelter 96/137, 1 false; the same round's cloud
        # hosting provider, blind_cloudhost, is held out: 103/147, 3), tuning since (the floor below after session 47's
        # fixes and trade glossary J)
        Reached("blind_animalshelter", accuracy=116 / 137, zh_accuracy=48 / 58, false_rate=0.0, zh_false_rate=0.0),
        # session 48's sets, run first on fad9254 (regional food bank 95/145, 0 false; the same round's flight training
        # academy, blind_flightschool, is held out: 88/142, 2), tuning since
        Reached("blind_foodbank", accuracy=99 / 145, zh_accuracy=29 / 60, false_rate=0.0, zh_false_rate=0.0)]


@pytest.fixture(scope="module", params=[pytest.param(s, id=s.folder, marks=pytest.mark.xdist_group(s.folder))
                                        for s in SETS])
def scored(request, tmp_path_factory) -> tuple[Reached, Report]:
    # (the set's xdist_group: its probes in tests/test_eval_probes.py run on the same worker and reuse the interpreter)
    reached: Reached = request.param
    built = set_interpreter(reached.folder, tmp_path_factory)
    data = YAML(typ="safe").load((FIXTURES / reached.folder / "questions.yaml").read_text(encoding="utf-8"))
    use_segmenter(*built.segmenter)  # Chinese is segmented as the product segments it (the slim jieba)
    try:
        engine = build_service(Settings(catalog_dir=str(FIXTURES / reached.folder / "catalog"),
                                        warehouse=str(built.warehouse),
                                        cache_dir=str(shared_embedding_cache(reached.folder, tmp_path_factory))))
        report = evaluate(parse_cases(data), lambda text, ctx: built.understander.interpret(text, today=data["today"],
                                                                                            context=ctx),
                          to_date_twins(built.catalog), same_rows(engine, data["today"]))  # as `metricloop eval` scores
    finally:
        use_segmenter(None)
    return reached, report


def _failures(report: Report, language: str | None = None) -> str:
    return "\n".join(f"{'FALSE' if o.false_answer else 'miss '} [{o.case.category}] {o.case.q}: {'; '.join(o.problems)}"
                     for o in report.failures if language is None or language_of(o.case) == language)


@pytest.mark.parametrize("folder", [s.folder for s in SETS])
def test_the_catalog_is_english_only(folder):
    assert not any(has_cjk(p.read_text(encoding="utf-8")) for p in (FIXTURES / folder / "catalog").glob("*.yml"))


def test_accuracy_and_false_answers_stay_at_least_what_was_reached_in_both_languages(scored):
    # one test per set (not one per figure): under pytest-xdist each test of a module-scoped fixture may land on the
    # other worker and score the whole set again
    reached, report = scored
    zh = report.figures(language_of)["zh"]
    assert zh.total >= 20  # the protocol asks for at least 20 Chinese questions per set
    assert zh.accuracy >= reached.zh_accuracy, f"{zh.right}/{zh.total}\n" + _failures(report, "zh")
    assert zh.false_rate <= reached.zh_false_rate + 1e-9, _failures(report, "zh")
    assert report.accuracy >= reached.accuracy, _failures(report)
    assert report.false_rate <= reached.false_rate + 1e-9, _failures(report)
