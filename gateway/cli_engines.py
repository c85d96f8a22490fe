"""``consentgate engines serve``: deploy the engine families on a Ray cluster (a GPU host).

Run on the cluster's head (``ray start --head``, then N GPU nodes ``ray start --address …``)
with the gateway's model settings and ``CONSENTGATE_RAY_NUM_GPUS=1`` (a GPU per replica). Every
engine host needs the pool key the gateways share in the environment ``ray start`` runs with
(``CONSENTGATE_ENGINE_POOL_KEY``): replicas read it there; Ray never carries it. The
deployments outlive the command: Serve's controller keeps them (and restarts lost replicas).
Exit 0 once every family answers, 2 if the cluster or a replica could not be reached.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gateway.settings import get_settings

EXIT_OK = 0
EXIT_UNREACHABLE = 2


def _serve(args: argparse.Namespace) -> int:
    import ray
    from ray import serve

    from engines import EngineKind
    from gateway.engine_pool import APP_PREFIX, NAMESPACE, deploy

    settings = get_settings()
    address = args.address or settings.ray_address or "auto"
    try:
        ray.init(
            address=address, namespace=NAMESPACE, log_to_driver=False, ignore_reinit_error=True
        )
        deploy(settings)
        for kind in EngineKind:
            device = (
                serve.get_app_handle(f"{APP_PREFIX}{kind}")
                .ready.remote()
                .result(timeout_s=settings.ray_connect_timeout_s)
            )
            print(f"{kind}: ready on {device}")
    except Exception as exc:  # the cluster or a replica: say which, no traceback
        print(f"engines not served: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    return EXIT_OK


def register(commands: Any) -> None:
    """Add ``engines serve`` (``commands``: the parser's sub-parsers)."""
    engines_cmd = commands.add_parser("engines", help="the engine pool on Ray Serve")
    engines_sub = engines_cmd.add_subparsers(dest="engines_command", required=True)
    serve_cmd = engines_sub.add_parser(
        "serve", help="deploy every engine family on the Ray cluster and wait until they answer"
    )
    serve_cmd.add_argument(
        "--address", help="the cluster (default CONSENTGATE_RAY_ADDRESS, else auto)"
    )
    serve_cmd.set_defaults(run=_serve)
