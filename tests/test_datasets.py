"""Tests of the dataset loaders: splits, standardisation, CSV input and the cache."""

import logging
import random

import numpy as np
import pytest

import datasets
from datasets import mnist1d as mnist1d_module
from datasets.base import CLASSIFICATION, REGRESSION

NAMES = datasets.names()
CLASSIFICATION_NAMES = [n for n in NAMES if datasets.describe(n).task == CLASSIFICATION]
REGRESSION_NAMES = [n for n in NAMES if datasets.describe(n).task == REGRESSION]


# --- fixtures --------------------------------------------------------------------


@pytest.fixture(scope="session")
def mnist1d_build(tmp_path_factory):
    """Generate MNIST-1D once per session into a temporary cache folder.

    Returns the folder, the first loaded Dataset and whether the global RNG states
    of numpy and `random` survived the generator.
    """
    folder = tmp_path_factory.mktemp("mnist1d-cache")
    numpy_before = np.random.get_state(legacy=False)
    python_before = random.getstate()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(mnist1d_module.CACHE_ENV_VAR, str(folder))
        first = datasets.load("mnist1d")
    numpy_after = np.random.get_state(legacy=False)
    return {
        "folder": folder,
        "dataset": first,
        "numpy_state_kept": (
            np.array_equal(numpy_after["state"]["key"], numpy_before["state"]["key"])
            and numpy_after["state"]["pos"] == numpy_before["state"]["pos"]
        ),
        "python_state_kept": random.getstate() == python_before,
    }


@pytest.fixture
def cache_env(mnist1d_build, monkeypatch):
    """Point the cache at the session's generated MNIST-1D."""
    monkeypatch.setenv(mnist1d_module.CACHE_ENV_VAR, str(mnist1d_build["folder"]))
    return mnist1d_build["folder"]


@pytest.fixture
def load(request):
    """Return datasets.load, pointing the cache at the session's MNIST-1D first.

    Only tests that load mnist1d pay for the one generation per session.
    """

    def load_dataset(name, **kwargs):
        if name == "mnist1d":
            request.getfixturevalue("cache_env")
        return datasets.load(name, **kwargs)

    return load_dataset


@pytest.fixture
def fake_generator(monkeypatch):
    """Replace the mnist1d generator with a fast one and count its calls."""
    calls = []
    rng = np.random.default_rng(0)
    X = rng.normal(size=(mnist1d_module.N_SAMPLES, mnist1d_module.N_FEATURES))
    y = np.repeat(np.arange(10, dtype=np.int64), mnist1d_module.N_SAMPLES // 10)

    def generate():
        calls.append(1)
        return X, y

    monkeypatch.setattr(mnist1d_module, "generate", generate)
    return calls


def write_csv(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return f"csv:{path}"


# --- registry ----------------------------------------------------------------------


def test_names_include_expected_sets():
    expected = {"digits", "breast_cancer", "wine", "iris", "diabetes", "mnist1d",
                "moons", "circles", "friedman1"}
    assert set(NAMES) == expected


def test_unknown_name_lists_names():
    with pytest.raises(datasets.DatasetError, match="unknown dataset 'mnist'") as info:
        datasets.load("mnist")
    assert "digits" in str(info.value)
    assert "csv:PATH" in str(info.value)


def test_describe_unknown_name_raises():
    with pytest.raises(datasets.DatasetError, match="unknown dataset"):
        datasets.describe("nope")


def test_describe_csv_name_raises():
    with pytest.raises(datasets.DatasetError, match="registered names only"):
        datasets.describe("csv:data.csv")


def test_dataset_error_is_value_error():
    assert issubclass(datasets.DatasetError, ValueError)


@pytest.mark.parametrize("name", NAMES)
def test_describe_matches_load(name, load):
    info = datasets.describe(name)
    data = load(name)
    assert len(data.y_train) + len(data.y_test) == info.n_samples
    assert data.X_train.shape[1] == info.n_features
    assert data.n_classes == info.n_classes
    assert data.task == info.task


# --- shapes, dtypes, labels ----------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_shapes_consistent(name, load):
    data = load(name)
    assert data.X_train.ndim == 2
    assert data.X_train.shape[0] == data.y_train.shape[0]
    assert data.X_test.shape[0] == data.y_test.shape[0]
    assert data.X_test.shape[1] == data.X_train.shape[1]
    assert data.y_train.ndim == 1


@pytest.mark.parametrize("name", NAMES)
def test_dtypes(name, load):
    data = load(name)
    expected_y = np.int64 if data.task == CLASSIFICATION else np.float64
    assert data.X_train.dtype == np.float64
    assert data.X_test.dtype == np.float64
    assert data.y_train.dtype == expected_y
    assert data.y_test.dtype == expected_y


@pytest.mark.parametrize("name", CLASSIFICATION_NAMES)
def test_labels_are_zero_to_k(name, load):
    data = load(name)
    classes = np.arange(data.n_classes)
    assert np.array_equal(np.unique(data.y_train), classes)
    assert np.array_equal(np.unique(data.y_test), classes)


@pytest.mark.parametrize("name", NAMES)
def test_test_size_sets_test_rows(name, load):
    data = load(name, test_size=0.3)
    n_samples = datasets.describe(name).n_samples
    assert len(data.y_test) == int(np.ceil(0.3 * n_samples))


# --- standardisation -----------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_train_features_standardised(name, load):
    data = load(name)
    std = data.X_train.std(axis=0)
    assert np.allclose(data.X_train.mean(axis=0), 0.0, atol=1e-10)
    assert np.allclose(std[std > 0], 1.0)


def test_constant_column_centred_only():
    # Some digits pixels are 0 in every image, so their column stays at 0.
    data = datasets.load("digits")
    constant = data.X_train.std(axis=0) == 0
    assert np.any(constant)
    assert np.all(data.X_train[:, constant] == 0)
    assert np.all(np.isfinite(data.X_test))


@pytest.mark.parametrize("name", NAMES)
def test_scaler_fitted_on_train_only(name, load):
    data = load(name)
    assert np.abs(data.X_test.mean(axis=0)).max() > 1e-6


@pytest.mark.parametrize("name", REGRESSION_NAMES)
def test_regression_target_standardised(name):
    data = datasets.load(name)
    assert abs(data.y_train.mean()) < 1e-10
    assert abs(data.y_train.std() - 1.0) < 1e-10
    assert abs(data.y_test.mean()) > 1e-6


# --- split ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", CLASSIFICATION_NAMES)
def test_split_stratified(name, load):
    data = load(name, seed=3)
    all_counts = np.bincount(np.concatenate([data.y_train, data.y_test]))
    n_all = all_counts.sum()
    expected_test = all_counts * len(data.y_test) / n_all
    test_counts = np.bincount(data.y_test, minlength=data.n_classes)
    assert np.all(np.abs(test_counts - expected_test) <= 1)


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_arrays(name, load):
    first = load(name, seed=7)
    second = load(name, seed=7)
    assert np.array_equal(first.X_train, second.X_train)
    assert np.array_equal(first.y_train, second.y_train)
    assert np.array_equal(first.X_test, second.X_test)
    assert np.array_equal(first.y_test, second.y_test)


@pytest.mark.parametrize("name", NAMES)
def test_other_seed_other_split(name, load):
    first = load(name, seed=0)
    second = load(name, seed=1)
    assert not np.array_equal(first.X_test, second.X_test)


def test_load_leaves_cached_source_intact():
    first = datasets.load("iris")
    first.X_train[:] = 99.0
    second = datasets.load("iris")
    assert not np.any(second.X_train == 99.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seed": -1}, r"seed must be in \[0, 4294967295\], got -1"),
        ({"seed": 1.5}, "seed must be an int, got 1.5"),
        ({"seed": True}, "seed must be an int, got True"),
        ({"test_size": 0.0}, r"test_size must be in \(0, 1\), got 0.0"),
        ({"test_size": 1}, r"test_size must be in \(0, 1\), got 1"),
        ({"test_size": "0.2"}, "test_size must be a float in"),
        ({"target": "y"}, "target='y' applies only to csv:PATH"),
        ({"task": "regression"}, "task='regression' applies only to csv:PATH"),
    ],
)
def test_invalid_arguments_rejected(kwargs, message):
    with pytest.raises(datasets.DatasetError, match=message):
        datasets.load("iris", **kwargs)


def test_non_string_name_rejected():
    with pytest.raises(datasets.DatasetError, match="name must be a str, got 3"):
        datasets.load(3)


def test_test_part_too_small_for_classes():
    with pytest.raises(datasets.DatasetError, match="gives 'digits' 9 test rows"):
        datasets.load("digits", test_size=0.005)


# --- CSV ------------------------------------------------------------------------------

CLASS_CSV = "a,b,label\n" + "".join(
    f"{i},{i * 0.5},{'cat' if i % 2 else 'dog'}\n" for i in range(20)
)


def test_csv_string_target_is_classification(tmp_path):
    data = datasets.load(write_csv(tmp_path, CLASS_CSV), target="label")
    assert data.task == CLASSIFICATION
    assert data.n_classes == 2
    assert data.X_train.shape == (16, 2)
    assert data.y_train.dtype == np.int64


def test_csv_labels_sorted_to_indices(tmp_path):
    # 'cat' sorts before 'dog', so cat rows (a = 0) get label 0 and dog rows label 1.
    rows = [f"{i % 2},{'dog' if i % 2 else 'cat'}\n" for i in range(20)]
    text = "a,label\n" + "".join(rows)
    data = datasets.load(write_csv(tmp_path, text), target="label")
    assert np.array_equal(data.y_train, (data.X_train[:, 0] > 0).astype(np.int64))


def test_csv_few_integers_is_classification(tmp_path):
    text = "x,y\n" + "".join(f"{i},{i % 3}\n" for i in range(30))
    data = datasets.load(write_csv(tmp_path, text), target="y")
    assert data.task == CLASSIFICATION
    assert data.n_classes == 3


def test_csv_many_integers_is_regression(tmp_path):
    text = "x,y\n" + "".join(f"{i},{i % 21}\n" for i in range(42))
    data = datasets.load(write_csv(tmp_path, text), target="y")
    assert data.task == REGRESSION
    assert data.n_classes == 0


def test_csv_float_target_is_regression(tmp_path):
    text = "x,y\n" + "".join(f"{i},{i * 0.1}\n" for i in range(10))
    data = datasets.load(write_csv(tmp_path, text), target="y")
    assert data.task == REGRESSION
    assert data.y_train.dtype == np.float64


def test_csv_task_override_regression(tmp_path):
    text = "x,y\n" + "".join(f"{i},{i % 3}\n" for i in range(30))
    data = datasets.load(write_csv(tmp_path, text), target="y", task="regression")
    assert data.task == REGRESSION


def test_csv_task_override_classification(tmp_path):
    text = "x,y\n" + "".join(f"{i},{i % 2 + 0.5}\n" for i in range(30))
    data = datasets.load(write_csv(tmp_path, text), target="y", task="classification")
    assert data.task == CLASSIFICATION
    assert data.n_classes == 2


def test_csv_invalid_task_rejected(tmp_path):
    with pytest.raises(datasets.DatasetError, match="task must be one of"):
        datasets.load(write_csv(tmp_path, CLASS_CSV), target="label", task="ranking")


def test_csv_target_column_anywhere(tmp_path):
    text = "label,a\n" + "".join(f"{i % 2},{i}\n" for i in range(10))
    data = datasets.load(write_csv(tmp_path, text), target="label")
    assert data.X_train.shape[1] == 1


def test_csv_skips_blank_lines_and_spaces(tmp_path):
    text = "a, label\n\n" + "".join(f" {i} ,{i % 2}\n\n" for i in range(10))
    data = datasets.load(write_csv(tmp_path, text), target="label")
    assert len(data.y_train) + len(data.y_test) == 10


def test_csv_not_found(tmp_path):
    missing = tmp_path / "absent.csv"
    with pytest.raises(datasets.DatasetError, match="CSV file not found") as info:
        datasets.load(f"csv:{missing}", target="y")
    assert str(missing) in str(info.value)


def test_csv_empty_path():
    with pytest.raises(datasets.DatasetError, match="needs a file path"):
        datasets.load("csv:", target="y")


def test_csv_target_missing_lists_columns(tmp_path):
    with pytest.raises(datasets.DatasetError, match="target is missing") as info:
        datasets.load(write_csv(tmp_path, CLASS_CSV))
    assert "'a', 'b', 'label'" in str(info.value)


def test_csv_target_not_column(tmp_path):
    with pytest.raises(datasets.DatasetError, match="'klass' is not a column") as info:
        datasets.load(write_csv(tmp_path, CLASS_CSV), target="klass")
    assert "'a', 'b', 'label'" in str(info.value)


def test_csv_missing_feature_value(tmp_path):
    text = "a,b,y\n1,2,0\n3,4,1\n5,,0\n"
    with pytest.raises(datasets.DatasetError, match="column 'b'") as info:
        datasets.load(write_csv(tmp_path, text), target="y")
    assert "missing value at data row 3 (line 4)" in str(info.value)


def test_csv_nan_feature_is_missing(tmp_path):
    text = "a,y\n1,0\nNaN,1\n"
    with pytest.raises(datasets.DatasetError, match="missing value at data row 2"):
        datasets.load(write_csv(tmp_path, text), target="y")


def test_csv_non_numeric_feature(tmp_path):
    text = "a,b,y\n1,2,0\nred,4,1\n5,6,0\n"
    with pytest.raises(datasets.DatasetError, match="column 'a'") as info:
        datasets.load(write_csv(tmp_path, text), target="y")
    assert "value 'red' at data row 2 (line 3)" in str(info.value)


def test_csv_infinite_feature(tmp_path):
    text = "a,y\n1,0\ninf,1\n"
    with pytest.raises(datasets.DatasetError, match="value 'inf' at data row 2"):
        datasets.load(write_csv(tmp_path, text), target="y")


def test_csv_row_after_blank_line_numbered(tmp_path):
    text = "a,y\n1,0\n\nx,1\n"
    with pytest.raises(datasets.DatasetError, match=r"data row 2 \(line 4\)"):
        datasets.load(write_csv(tmp_path, text), target="y")


def test_csv_missing_target_value(tmp_path):
    text = "a,y\n1,0\n2,\n"
    with pytest.raises(datasets.DatasetError, match="target column 'y'") as info:
        datasets.load(write_csv(tmp_path, text), target="y")
    assert "missing value at data row 2" in str(info.value)


def test_csv_infinite_target(tmp_path):
    text = "a,y\n1,0.5\n2,-inf\n"
    with pytest.raises(datasets.DatasetError, match="infinite value '-inf'"):
        datasets.load(write_csv(tmp_path, text), target="y")


def test_csv_string_target_regression_rejected(tmp_path):
    with pytest.raises(datasets.DatasetError, match="task='regression' is impossible"):
        datasets.load(write_csv(tmp_path, CLASS_CSV), target="label", task="regression")


def test_csv_too_few_rows_per_class(tmp_path):
    text = "a,y\n" + "".join(f"{i},{'a' if i else 'b'}\n" for i in range(10))
    with pytest.raises(datasets.DatasetError, match="class 'b'") as info:
        datasets.load(write_csv(tmp_path, text), target="y")
    assert "at least 2 rows per class" in str(info.value)


def test_csv_single_class(tmp_path):
    text = "a,y\n" + "".join(f"{i},same\n" for i in range(10))
    with pytest.raises(datasets.DatasetError, match="only the class 'same'"):
        datasets.load(write_csv(tmp_path, text), target="y")


def test_csv_too_few_rows_regression(tmp_path):
    with pytest.raises(datasets.DatasetError, match="at least 2 train rows"):
        datasets.load(write_csv(tmp_path, "a,y\n1,0.5\n2,1.5\n"), target="y")


def test_csv_empty_file(tmp_path):
    with pytest.raises(datasets.DatasetError, match="is empty"):
        datasets.load(write_csv(tmp_path, ""), target="y")


def test_csv_header_only(tmp_path):
    with pytest.raises(datasets.DatasetError, match="no data rows"):
        datasets.load(write_csv(tmp_path, "a,y\n"), target="y")


def test_csv_wrong_field_count(tmp_path):
    text = "a,b,y\n1,2,0\n3,1\n"
    with pytest.raises(datasets.DatasetError, match="2 fields at data row 2"):
        datasets.load(write_csv(tmp_path, text), target="y")


def test_csv_duplicate_columns(tmp_path):
    with pytest.raises(datasets.DatasetError, match=r"duplicate column names \['a'\]"):
        datasets.load(write_csv(tmp_path, "a,a,y\n1,2,0\n"), target="y")


def test_csv_no_feature_columns(tmp_path):
    with pytest.raises(datasets.DatasetError, match="no feature columns"):
        datasets.load(write_csv(tmp_path, "y\n0\n1\n"), target="y")


# --- MNIST-1D and its cache -----------------------------------------------------------


def test_generator_args_match_package():
    import mnist1d.data

    package_args = mnist1d.data.get_dataset_args(as_dict=True)
    package_args.pop("url")
    assert package_args == mnist1d_module.GENERATOR_ARGS


def test_generator_keeps_numpy_global_state(mnist1d_build):
    assert mnist1d_build["numpy_state_kept"]


def test_generator_keeps_random_global_state(mnist1d_build):
    assert mnist1d_build["python_state_kept"]


def test_cache_folder_holds_one_file(mnist1d_build):
    files = [path.name for path in mnist1d_build["folder"].iterdir()]
    assert files == [mnist1d_module.cache_path().name]


def test_cache_reused_without_generator(cache_env, mnist1d_build, monkeypatch):
    def fail():
        raise AssertionError("generator called despite a valid cache")

    monkeypatch.setattr(mnist1d_module, "generate", fail)
    data = datasets.load("mnist1d")
    assert np.array_equal(data.X_train, mnist1d_build["dataset"].X_train)


def test_cache_written_after_miss(tmp_path, monkeypatch, fake_generator):
    monkeypatch.setenv(mnist1d_module.CACHE_ENV_VAR, str(tmp_path / "new"))
    datasets.load("mnist1d")
    datasets.load("mnist1d")
    assert len(fake_generator) == 1
    assert mnist1d_module.cache_path().is_file()


def test_corrupt_cache_rebuilt(tmp_path, monkeypatch, fake_generator, caplog):
    monkeypatch.setenv(mnist1d_module.CACHE_ENV_VAR, str(tmp_path))
    mnist1d_module.cache_path().write_bytes(b"not an npz file")
    with caplog.at_level(logging.WARNING, logger="datasets.mnist1d"):
        data = datasets.load("mnist1d")
    assert len(fake_generator) == 1
    assert "rebuilding corrupt MNIST-1D cache" in caplog.text
    assert data.X_train.shape == (4000, 40)


def test_wrong_shape_cache_rebuilt(tmp_path, monkeypatch, fake_generator, caplog):
    monkeypatch.setenv(mnist1d_module.CACHE_ENV_VAR, str(tmp_path))
    np.savez(mnist1d_module.cache_path(), X=np.zeros((3, 40)), y=np.zeros(3, np.int64))
    with caplog.at_level(logging.WARNING, logger="datasets.mnist1d"):
        datasets.load("mnist1d")
    assert len(fake_generator) == 1
    assert "X has shape (3, 40)" in caplog.text


def test_unwritable_cache_still_loads(tmp_path, monkeypatch, fake_generator, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(mnist1d_module.CACHE_ENV_VAR, str(blocker / "cache"))
    with caplog.at_level(logging.WARNING, logger="datasets.mnist1d"):
        data = datasets.load("mnist1d")
    assert "cannot write MNIST-1D cache" in caplog.text
    assert data.n_classes == 10


def test_cache_dir_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv(mnist1d_module.CACHE_ENV_VAR, str(tmp_path))
    assert mnist1d_module.cache_dir() == tmp_path


def test_cache_dir_from_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv(mnist1d_module.CACHE_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert mnist1d_module.cache_dir() == tmp_path / "backprop-bench"


def test_cache_dir_default(monkeypatch, tmp_path):
    monkeypatch.delenv(mnist1d_module.CACHE_ENV_VAR, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert mnist1d_module.cache_dir() == tmp_path / ".cache" / "backprop-bench"


def test_cache_name_has_args_hash(monkeypatch):
    before = mnist1d_module.cache_path().name
    changed = dict(mnist1d_module.GENERATOR_ARGS, seed=43)
    monkeypatch.setattr(mnist1d_module, "GENERATOR_ARGS", changed)
    assert mnist1d_module.cache_path().name != before
