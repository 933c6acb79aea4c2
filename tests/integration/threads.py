"""Running calls at the same moment, each thread with its own database connection."""

import threading

from django.db import connection


def at_once(*calls):
    """Run the calls in threads released together; re-raise the first failure."""
    barrier = threading.Barrier(len(calls))
    failures = []
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - handed to the test thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results
