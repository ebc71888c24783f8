import numpy as np
import pytest

from alliance_c2.sim import simulate


def test_results_do_not_depend_on_workers_or_chunking():
    one = simulate("bmd-salvo", ["2015-guidelines"], runs=30, seed=11, executor="inline")
    two = simulate("bmd-salvo", ["2015-guidelines"], runs=30, seed=11, executor="local", workers=2)
    assert np.array_equal(one.data["2015-guidelines"], two.data["2015-guidelines"], equal_nan=True)


def test_local_and_dask_give_identical_results():
    from dask.distributed import Client, LocalCluster

    local = simulate("cyber-jjoc", ["2024-proposal"], runs=20, seed=5, executor="inline")
    with LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        with Client(address):
            dask = simulate("cyber-jjoc", ["2024-proposal"], runs=20, seed=5, executor="dask", scheduler=address)
    assert np.array_equal(local.data["2024-proposal"], dask.data["2024-proposal"], equal_nan=True)


def test_frame_and_summary_shapes():
    result = simulate("large-scale-disaster", ["2015-guidelines", "us-rok-cfc"], runs=10, seed=1, executor="inline")
    frame = result.to_frame()
    assert len(frame) == 2 * 10 * (len(result.injects) + 1)
    summary = result.to_dict()["arrangements"]["2015-guidelines"]["overall"]["response_time"]
    assert summary["ci95_low"] <= summary["mean"] <= summary["ci95_high"]


def test_negative_runs_rejected():
    with pytest.raises(ValueError):
        simulate("bmd-salvo", ["2015-guidelines"], runs=-1)


def test_export_csv_and_parquet_hold_the_frame(tmp_path):
    import pandas as pd

    result = simulate("gray-zone-senkaku", ["2015-guidelines"], runs=5, seed=3, executor="inline")
    frame = result.to_frame()
    result.export(tmp_path / "runs.csv")
    result.export(tmp_path / "runs.parquet")
    from_csv = pd.read_csv(tmp_path / "runs.csv")
    from_parquet = pd.read_parquet(tmp_path / "runs.parquet")
    assert len(from_csv) == len(frame) == len(from_parquet)
    assert list(from_parquet.columns) == list(frame.columns)
    assert from_parquet["response_time"].equals(frame["response_time"])
