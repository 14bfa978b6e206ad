"""Several gunicorn workers start at once: creating the store's schema and the demo users must not race."""
from concurrent.futures import ProcessPoolExecutor


def _start_worker(url: str) -> list:
    from data_access.app_store import AppStore

    store = AppStore(url).create_schema()
    users = store.ensure_demo_users()
    store.dispose()
    return users


def test_workers_starting_together_share_one_schema_and_one_set_of_demo_users(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with ProcessPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(_start_worker, [url] * 4))
    assert all(r == results[0] for r in results)
    from data_access.app_store import AppStore

    store = AppStore(url)
    assert sorted(u.username for u in store.list_users()) == sorted(u for u, _ in results[0])
    store.dispose()
