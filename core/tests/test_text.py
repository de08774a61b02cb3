from accounts.trust import normalize_answer
from companies.names import search_key
from core.text import fold, fold_words


def test_fold_drops_case_and_accents():
    assert fold("Élodie À LA Forêt") == "elodie a la foret"
    assert fold("Straße") == "strasse"


def test_fold_words_collapses_white_space():
    assert fold_words("  Œuvre   d'Art\n") == "œuvre d'art"


def test_company_names_and_trust_answers_fold_the_same_way():
    assert search_key(" Société  Générale ") == "SOCIETE GENERALE"
    assert normalize_answer(" Société  Générale ") == "societe generale"


def test_email_addresses_are_kept_trimmed_and_in_lower_case():
    from core.text import normalize_email

    assert normalize_email("  Lila.ROSEMONDE@Example.FR\n") == "lila.rosemonde@example.fr"
    assert normalize_email(None) == ""
