"""The runner's file loaders: each satisfies the FileLoader protocol, every contract file has one."""

from __future__ import annotations

import importlib

import pytest

from loaders import runner
from loaders.base import FileLoader, LoaderFunctions, unchanged
from loaders.contract import CONTRACT, CONTRACTS_BY_NAME
from loaders.rows import RowModel

LOADERS = [loader for _, loader in runner.FILE_LOADERS]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.contract.name)
def test_every_registered_loader_satisfies_the_protocol(loader):
    assert isinstance(loader, FileLoader)
    assert loader.contract is CONTRACTS_BY_NAME[loader.contract.name]
    assert isinstance(loader.gather_chunks, int) and loader.gather_chunks >= 1
    assert all(callable(f) for f in (loader.transform, loader.prepare, loader.load))


@pytest.mark.parametrize("name", list(CONTRACTS_BY_NAME))
def test_each_file_module_exposes_its_loader(name):
    module = importlib.import_module(f"loaders.{name.removesuffix('.csv')}")
    assert module.LOADER.contract is module.CONTRACT is CONTRACTS_BY_NAME[name]
    assert not isinstance(module, FileLoader)  # a module read by getattr is not a file loader


def test_the_runner_s_file_order_covers_every_contract_file_once():
    names = [name for name, _ in runner.FILE_LOADERS]
    assert sorted(names) == sorted(CONTRACTS_BY_NAME)
    assert len(set(names)) == len(names)
    assert all(name == loader.contract.name for name, loader in runner.FILE_LOADERS)
    assert tuple(loader for _, loader in runner.FILE_LOADERS) == runner.LOAD_ORDER


def test_the_runner_loads_a_referenced_file_before_the_files_referring_to_it():
    position = {name: i for i, (name, _) in enumerate(runner.FILE_LOADERS)}
    for name, spec in CONTRACT.items():
        for column, target in spec["references"].items():
            if target == "subject":
                types = spec["enums"][spec["subject_types"][column]]
                needed = {runner.DEFINED_BY[("Person", t)] for t in types}
            else:
                needed = {target[0]}
            for other in needed - {name}:
                assert position[other] < position[name], f"{name} refers to {other} ({column})"


def test_the_protocol_wants_every_member():
    from loaders import establishments

    class NoPrepare:
        contract = establishments.CONTRACT
        gather_chunks = 1
        transform = staticmethod(establishments.transform)
        load = staticmethod(establishments.load)

    assert not isinstance(NoPrepare(), FileLoader)
    built = LoaderFunctions(
        contract=establishments.CONTRACT,
        transform=establishments.transform,
        prepare=unchanged,
        load=establishments.load,
    )
    assert isinstance(built, FileLoader) and built.gather_chunks == 1
    with pytest.raises(ValueError, match="at least 1"):
        LoaderFunctions(
            contract=establishments.CONTRACT,
            transform=establishments.transform,
            prepare=unchanged,
            load=establishments.load,
            gather_chunks=0,
        )


def test_row_models_satisfy_the_row_model_protocol():
    from loaders import establishments, prisoners
    from loaders.csvsource import SourceRow

    row = SourceRow(2, {"establishment_code": "BXI", "name": "HMP Brixton"})
    model = establishments.LOADER.transform(row)
    assert isinstance(model, RowModel) and establishments.LOADER.prepare([model]) == [model]
    assert isinstance(
        prisoners.transform(
            SourceRow(
                2,
                {
                    "prison_number": "A1234BC",
                    "surname": "Smith",
                    "forenames": "John",
                    "dob": "1985-03-12",
                    "establishment_code": "BXI",
                    "reception_date": "2020-01-01",
                },
            )
        ),
        RowModel,
    )
