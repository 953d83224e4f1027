"""A model that uses pyDataPipeline alone, without the fair CLI.

Run by tests/clients/run_clients.sh against a registry the fair CLI has
initialised (so the admin user has its user_author). Two runs, as a model
would do them:
  1. initialise, link_write a CSV, raise an issue on that output (by index)
     and one on the model config, finalise;
  2. initialise with a config that reads the first run's output, link_read
     it, link_write a derived CSV, raise an issue on the data product read,
     finalise.
What it did goes to a JSON summary that check_records.py verifies through
the API.

    pdp_model.py REGISTRY_API_URL TOKEN_FILE WORK_DIR SUMMARY_JSON
"""

import csv
import json
import os
import sys

import yaml

import data_pipeline_api as pipeline
from data_pipeline_api import fdp_utils

NAMESPACE = "pdp_only"
WRITTEN = "pdp/model_output"
DERIVED = "pdp/derived_output"


def write_config(path, api, store, description, extra):
    config = {
        "run_metadata": {
            "description": description,
            "local_data_registry_url": api,
            "remote_data_registry_url": api,
            "default_input_namespace": NAMESPACE,
            "default_output_namespace": NAMESPACE,
            "write_data_store": store,
            "local_repo": "./",
            "script": "python3 pdp_model.py",
            "public": True,
            "latest_commit": "0123456789abcdef0123456789abcdef01234567",
            "remote_repo": "https://github.com/FAIRDataPipeline/pyDataPipeline",
        },
    }
    config.update(extra)
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(config, f)


def main():
    api, token_file, work, summary_path = sys.argv[1:5]
    token = fdp_utils.read_token(token_file)
    store = os.path.join(work, "data_store") + os.sep
    jobs = os.path.join(store, "jobs", "pdp")
    os.makedirs(jobs, exist_ok=True)
    script = os.path.join(jobs, "script.sh")
    with open(script, "w", encoding="utf-8") as f:
        f.write("python3 pdp_model.py\n")

    write_cfg = os.path.join(jobs, "write.yaml")
    write_config(write_cfg, api, store, "pyDataPipeline only: write", {
        "write": [{"data_product": WRITTEN, "description": "rows written by the model",
                   "file_type": "csv", "use": {"version": "0.0.1"}}],
    })
    handle = pipeline.initialise(token, write_cfg, script)
    path = pipeline.link_write(handle, WRITTEN)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["t", "value"])
        for t in range(10):
            writer.writerow([t, t * t])
    index = pipeline.get_handle_index_from_path(handle, path)
    pipeline.raise_issue_by_index(handle, index, "pdp: issue on an output by index", 3)
    pipeline.raise_issue_with_config(handle, "pdp: issue on the model config", 4)
    pipeline.finalise(token, handle)
    first = {"code_run": handle["code_run"], "model_config": handle["model_config"],
             "outputs": {o["use_data_product"]: o["component_url"]
                         for o in handle["output"].values()}}

    read_cfg = os.path.join(jobs, "read.yaml")
    write_config(read_cfg, api, store, "pyDataPipeline only: read", {
        "read": [{"data_product": WRITTEN, "use": {"version": "0.0.1"}}],
        "write": [{"data_product": DERIVED, "description": "derived rows",
                   "file_type": "csv", "use": {"version": "0.0.1"}}],
    })
    handle = pipeline.initialise(token, read_cfg, script)
    source = pipeline.link_read(handle, WRITTEN)
    with open(source, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    target = pipeline.link_write(handle, DERIVED)
    with open(target, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["t", "double"])
        for t, value in rows[1:]:
            writer.writerow([t, 2 * int(value)])
    pipeline.raise_issue_by_data_product(
        handle, WRITTEN, "0.0.1", NAMESPACE, "pdp: issue on the data product read", 5)
    pipeline.finalise(token, handle)
    second = {"code_run": handle["code_run"],
              "inputs": {i["use_data_product"]: i["component_url"]
                         for i in handle["input"].values()},
              "outputs": {o["use_data_product"]: o["component_url"]
                          for o in handle["output"].values()}}

    with open(summary_path, "w", encoding="utf-8") as f:
        json.dump({"namespace": NAMESPACE, "store": store, "write_run": first,
                   "read_run": second}, f, indent=1)
    print(f"pyDataPipeline model: code runs {first['code_run']} and {second['code_run']}")


if __name__ == "__main__":
    main()
