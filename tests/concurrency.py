"""Work released at the same moment in several threads, each on its own database connection."""

import threading

from django.db import connection


def at_once(count: int, work, timeout: float = 120) -> list:
    """Run `work(n)` for n in 0..count-1, all released together; each result, or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=60)
            results[n] = work(n)
        except Exception as error:  # noqa: BLE001 - the caller inspects every outcome
            results[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
