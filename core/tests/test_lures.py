"""Links and phone numbers in free text the administration sends on (docs/security.md §13),
however they are spaced or spelled; ordinary text stays allowed."""

import pytest

from core.lures import has_link, has_phone_number


@pytest.mark.parametrize(
    "text",
    [
        "Connectez-vous sur https://impots-gouv.example/valider",
        "Validez sur cabinet-compta.fr/confirmer avant vendredi",
        "Rendez-vous sur impots-gouv .fr pour valider",
        "Rendez-vous sur impots-gouv. fr pour valider",
        "Rendez-vous sur impots-gouv . fr pour valider",
        "Allez sur www . x . com",
        "Allez sur impots . gouv . fr",
        "Allez sur impots-gouv\uff0efr",  # a full-width dot
        "Allez sur impots-gouv。fr",  # an ideographic full stop
        "Allez sur impots-gouv\u2024fr",  # a one-dot leader
        "Allez sur \uff49\uff4d\uff50\uff4f\uff54\uff53\uff0e\uff46\uff52",  # full-width letters
        "Allez sur impots-gouv[.]fr",
        "Allez sur impots-gouv (dot) fr",
        "Allez sur impots-gouv.\u200bfr",  # a zero-width space after the dot
        "Copiez hxxp: / / detour",
        "Copiez l'adresse hxxps puis detour point fr",
        "Allez sur www.impots",
    ],
)
def test_a_link_is_found_however_it_is_written(text):
    assert has_link(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nous tenons votre comptabilité depuis janvier. Merci de votre confiance.",
        "Écrivez-moi à fanny@cabinet-compta.fr. M. Dupont, S.A.R.L. Dupont, taux 12.5 %.",
        "Voir la facture, etc. de la part du cabinet, av. de la République.",
        "Montant : 1 234,56 € au 31.12.2024. Échéance le 15/01/2025 à 10h30.",
        "Il reste 3 points. merci d'avance",
    ],
)
def test_ordinary_text_is_no_link(text):
    assert not has_link(text)


@pytest.mark.parametrize(
    "text",
    [
        "Appelez le 06 12 34 56 78",
        "Appelez le 06.12.34.56.78",
        "Appelez le 06-12-34-56-78",
        "Appelez le 0612345678",
        "Appelez le +33 6 12 34 56 78",
        "Appelez le +33612345678",
        "Appelez le +33 (0)6 12 34 56 78",
        "Appelez le 0033 6 12 34 56 78",
        "Appelez le 0 800 123 456",
        "Appelez le 0800 12 34 56",
        "Appelez le +32 470 12 34 56",
        # full-width digits
        "Appelez le \uff10\uff16\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",
        "Appelez le 06 12 34 56 78 12",  # digits added after do not hide it
    ],
)
def test_a_phone_number_is_found_however_it_is_written(text):
    assert has_phone_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "Notre SIREN : 732 829 320, notre SIRET : 732 829 320 00074.",
        "SIREN 732829320, SIRET 73282932000074, SIRET 01234567800012.",
        "Le 01.02.2024 10h30, pour 1 250 000 €, dossier 2024-0112.",
        "Rendez-vous le 01/02/2024 entre 08 00 et 10 00, taux 0,50 %.",
        "Une hausse de +12 000 000 € sur l'exercice 2023.",
    ],
)
def test_identifiers_amounts_and_dates_are_no_phone_numbers(text):
    assert not has_phone_number(text)
