from pathlib import Path

import pytest

from dashboard.settings import Settings, SettingsError

README = Path(__file__).resolve().parents[2] / "README.md"


def test_demo_mode_needs_no_configuration(tmp_path):
    s = Settings.from_env({"ODOO_DASH_INSTANCE_DIR": str(tmp_path)})
    assert s.demo_mode and not s.secure_cookies
    assert s.effective_replica_url.startswith("sqlite:///") and s.effective_replica_url.endswith(".sqlite")


def test_secret_required_outside_demo():
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        Settings.from_env({"ODOO_DASH_REPLICA_URL": "postgresql://odoo@replica/odoo"})
    s = Settings.from_env({"ODOO_DASH_REPLICA_URL": "postgresql://odoo@replica/odoo", "ODOO_DASH_SECRET_KEY": "x" * 40})
    assert not s.demo_mode and s.secure_cookies


@pytest.mark.parametrize("env, message", [
    ({"ODOO_DASH_TIMEZNE": "UTC"}, "unknown setting"),
    ({"ODOO_DASH_TIMEZONE": "Mars/Olympus"}, "time zone"),
    ({"ODOO_DASH_STATEMENT_TIMEOUT_MS": "soon"}, "STATEMENT_TIMEOUT_MS"),
    ({"ODOO_DASH_SECURE_COOKIES": "maybe"}, "boolean"),
    ({"ODOO_DASH_CACHE_TYPE": "memcached"}, "cache_type"),
    ({"ODOO_DASH_CACHE_PREFIX": "two words"}, "cache_prefix"),
    ({"ODOO_DASH_CACHE_PREFIX": ""}, "cache_prefix"),
    ({"ODOO_DASH_CACHE_TTL_S": "0"}, "cache_ttl_s"),
    ({"ODOO_DASH_WORKCENTER_SITES": "3-1"}, "workcenter_sites"),
    ({"ODOO_DASH_POOL_SIZE": "0"}, "pool_size"),
    ({"ODOO_DASH_POOL_SIZE": "many"}, "POOL_SIZE"),
])
def test_bad_values_are_refused(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_pool_size_is_a_typed_setting():
    assert Settings.from_env({}).pool_size == 5
    assert Settings.from_env({"ODOO_DASH_POOL_SIZE": "12"}).pool_size == 12


def test_workcenter_pins_and_overrides_parse():
    s = Settings.from_env({"ODOO_DASH_WORKCENTER_SITES": "3:1, 7:2", "ODOO_DASH_KPI_OVERRIDES": '{"oee": {"amber": 0.7}}'})
    assert s.workcenter_site_pins() == {3: 1, 7: 2}
    assert s.kpi_overrides_dict() == {"oee": {"amber": 0.7}}


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text()
    missing = [env for env, _, _ in Settings.help_table() if f"`{env}`" not in text]
    assert missing == []
