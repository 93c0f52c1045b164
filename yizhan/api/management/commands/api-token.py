from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from yizhan.api.models import ApiToken
from yizhan.api.tokens import TokenError, create_token, revoke_token


class Command(BaseCommand):
    help = (
        "API tokens for programs calling the REST API. `create USERNAME --name NAME` prints a new key once "
        "(only its digest is kept); `list [USERNAME]` shows tokens; `revoke ID` stops a token working."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a token for a user and print its key (shown only this once)")
        create.add_argument("username", help="the user the program acts as")
        create.add_argument("--name", required=True, help="what the token is for, e.g. 'hall board'")
        listing = sub.add_parser("list", help="list tokens (never their keys)")
        listing.add_argument("username", nargs="?", help="only this user's tokens")
        revoke = sub.add_parser("revoke", help="revoke a token by its id (see `list`)")
        revoke.add_argument("id", type=int, help="the token's id")

    def handle(self, *args, **options):
        return getattr(self, f"_{options['action']}")(options)

    def _create(self, options) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get_by_natural_key(options["username"])
        except user_model.DoesNotExist:
            raise CommandError(f"username: no user named {options['username']!r}") from None
        try:
            token, key = create_token(user, options["name"], actor_label="cli")
        except TokenError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        self.stderr.write(f"token {token.pk} '{token.name}' for {user.get_username()} — copy the key now, "
                          "it is not shown again:")
        self.stdout.write(key)

    def _list(self, options) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("id")
        if options["username"]:
            tokens = tokens.filter(user__username=options["username"])
        for t in tokens:
            state = f"revoked {t.revoked:%Y-%m-%d %H:%M}" if t.revoked else "active"
            used = f"{t.last_used:%Y-%m-%d %H:%M}" if t.last_used else "never"
            self.stdout.write(f"{t.pk}\t{t.user.get_username()}\t{t.name}\t{t.prefix}…\t{state}\tlast used {used}")

    def _revoke(self, options) -> None:
        try:
            token = ApiToken.objects.get(pk=options["id"])
        except ApiToken.DoesNotExist:
            raise CommandError(f"id: no token {options['id']}") from None
        if token.revoked:
            raise CommandError(f"id: token {token.pk} was already revoked on {token.revoked:%Y-%m-%d %H:%M}")
        revoke_token(token, actor_label="cli")
        self.stdout.write(f"token {token.pk} '{token.name}' revoked")
