"""`manage.py media_nginx_config --folder DIR [--listen HOST:PORT] [--upstream HOST:PORT]`:
write the nginx config that serves signed media (media_pipeline/nginx.py); start nginx with
`nginx -p DIR -c DIR/nginx.conf`."""

from pathlib import Path

from django.core.management.base import BaseCommand

from media_pipeline.nginx import NginxSite, write


class Command(BaseCommand):
    help = "Write the nginx config that checks and serves signed media URLs."

    def add_arguments(self, parser):
        parser.add_argument("--folder", required=True, help="nginx's prefix folder")
        parser.add_argument("--listen", default="127.0.0.1:8080")
        parser.add_argument("--media-root", default="", help="default: MEDIA_ROOT")
        parser.add_argument("--upstream", default="", help="gunicorn's host:port, if any")
        parser.add_argument("--foreground", action="store_true", help="daemon off")
        parser.add_argument("--user", default="", help="workers' user when started as root")

    def handle(self, *args, **options):
        path = write(
            NginxSite(
                folder=Path(options["folder"]),
                listen=options["listen"],
                media_root=Path(options["media_root"]) if options["media_root"] else None,
                upstream=options["upstream"],
                foreground=options["foreground"],
                user=options["user"],
            )
        )
        self.stdout.write(f"nginx -p {path.parent} -c {path}")
