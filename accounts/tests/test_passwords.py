import pytest

from accounts.passwords import Strength, password_errors, score

GOOD = "Trois pommes vertes sur la table du jardin"


def test_a_long_uncommon_passphrase_is_accepted_and_strong():
    assert (
        password_errors(GOOD, email="lila.rosemonde@example.fr", names=("Rosemonde", "Lila")) == []
    )
    assert score(GOOD).strength == Strength.STRONG


def test_it_refuses_fewer_than_20_characters():
    errors = password_errors("Xq7!vB29#kLm0pZ$wE4")  # 19 characters, otherwise strong
    assert errors == ["Le mot de passe doit comporter au moins 20 caractères (il en comporte 19)."]


def test_it_accepts_exactly_20_characters_and_up_to_128():
    assert password_errors("Xq7!vB29#kLm0pZ$wE4r") == []
    long_passphrase = ("Sept chouettes grises dansent sous le vieux chêne du parc ! " * 3)[:128]
    assert len(long_passphrase) == 128
    assert password_errors(long_passphrase) == []
    assert password_errors(long_passphrase + "x") == [
        "Le mot de passe ne peut dépasser 128 caractères."
    ]


def test_it_refuses_a_weak_password_even_if_long():
    errors = password_errors("aaaaaaaaaaaaaaaaaaaaaaaa")
    assert any("trop faible" in e for e in errors)
    assert score("aaaaaaaaaaaaaaaaaaaaaaaa").strength == Strength.WEAK


def test_it_refuses_a_common_password():
    # In Django's list of common passwords, yet zxcvbn alone would call it strong.
    assert score("doomsayer.2.7mords.v").strength == Strength.STRONG
    assert "Ce mot de passe fait partie des mots de passe les plus courants." in password_errors(
        "doomsayer.2.7mords.v"
    )


@pytest.mark.parametrize(
    "password",
    ["lila.rosemonde@example.fr-et-encore", "Mon LILA.ROSEMONDE préféré 2026!"],
)
def test_it_refuses_a_password_containing_the_email(password):
    assert "Le mot de passe ne doit pas contenir votre adresse électronique." in password_errors(
        password, email="lila.rosemonde@example.fr"
    )


@pytest.mark.parametrize(
    "password", ["Rosémonde aime les pommes vertes", "pommes vertes de ROSEMONDE !"]
)
def test_it_refuses_a_password_containing_a_name_whatever_the_case_or_accents(password):
    assert "Le mot de passe ne doit pas contenir votre nom ni votre prénom." in password_errors(
        password, names=("Rosemonde", "Lila")
    )


def test_strength_grades_are_the_three_of_the_seeds():
    assert {s.value for s in Strength} == {"Faible", "Normal", "Fort"}
    assert score("court").strength == Strength.WEAK
