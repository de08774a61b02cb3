import time

from django.core.management.base import BaseCommand, CommandError

from demo.synthetic import Plan, generate


class Command(BaseCommand):
    help = "Build a realistic synthetic dataset in bulk (idempotent: re-running adds nothing)."

    def add_arguments(self, parser):
        defaults = Plan()
        parser.add_argument("--companies", type=int, default=defaults.companies)
        parser.add_argument("--subscribers", type=int, default=defaults.subscribers)
        parser.add_argument("--firms", type=int, default=defaults.firms)
        parser.add_argument(
            "--collaborators", type=int, default=defaults.collaborators, help="per firm"
        )
        parser.add_argument("--dossiers-per-firm", type=int, default=defaults.dossiers_per_firm)
        parser.add_argument(
            "--big-firm-dossiers",
            type=int,
            default=defaults.big_firm_dossiers,
            help="dossiers of the first firm's space",
        )
        parser.add_argument(
            "--habilitations",
            type=int,
            help="reach about this many habilitations: the subscribers past the firms' staff "
            "(each running one company) are derived from it, instead of --subscribers",
        )
        parser.add_argument("--seed", type=int, default=defaults.seed)

    def handle(self, *args, **o):
        plan = Plan(
            companies=o["companies"],
            subscribers=o["subscribers"],
            firms=o["firms"],
            collaborators=o["collaborators"],
            dossiers_per_firm=o["dossiers_per_firm"],
            big_firm_dossiers=o["big_firm_dossiers"],
            seed=o["seed"],
        )
        try:
            if o["habilitations"] is not None:
                plan = plan.with_habilitations(o["habilitations"])
            plan.check()
        except ValueError as error:
            raise CommandError(str(error)) from error
        started = time.perf_counter()
        result = generate(plan, out=self.stderr)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{result['companies']:,} entreprises, {result['subscribers']:,} abonnés, "
            f"{result['habilitations']:,} habilitations, {result['portfolio_entries']:,} entrées "
            f"de portefeuille en {elapsed:,.1f} s."
        )
        self.stdout.write(
            f"Le plus gros cabinet : {result['big_firm_email']} (abonné "
            f"{result['big_firm_number']}), mot de passe : {result['password']}"
        )
