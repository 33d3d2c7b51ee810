#!/usr/bin/env python3
"""Convert a parquet-only reasoning benchmark into the layout `vlaser-eval reason` reads (docs/reasoning.md).

usage: convert_parquet.py vsi_bench test-00000-of-00001.parquet DATA_DIR
       convert_parquet.py mmsi MMSI_Bench.parquet DATA_DIR

Run once, in its own venv (scripts/reasoning/requirements.txt). Writes DATA_DIR/<bench>/ and prints what it wrote.
VSI-Bench frames still have to be extracted from the scene videos (extract_frames.py).
"""
import json
import os
import sys

import pyarrow.parquet as pq


def rows(path):
    return pq.read_table(path).to_pylist()


def vsi(src, out):
    """test.jsonl with the parquet fields id, dataset, scene_name, question_type, question, ground_truth, options."""
    keep = ["id", "dataset", "scene_name", "question_type", "question", "ground_truth", "options"]
    n = 0
    with open(os.path.join(out, "test.jsonl"), "w") as f:
        for r in rows(src):
            f.write(json.dumps({k: r.get(k) for k in keep}, ensure_ascii=False) + "\n")
            n += 1
    return f"wrote {n} questions to {out}/test.jsonl"


def image_bytes(cell):
    return cell["bytes"] if isinstance(cell, dict) else cell


def mmsi(src, out):
    """mmsi.jsonl (id, question_type, question, answer, images) + images/<id>_<k>.jpg from the raw JPEG bytes."""
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    n = m = 0
    with open(os.path.join(out, "mmsi.jsonl"), "w") as f:
        for r in rows(src):
            files = []
            for k, cell in enumerate(r["images"]):
                data = image_bytes(cell)
                ext = "png" if data[:4] == b"\x89PNG" else "jpg"
                name = f"images/{r['id']}_{k}.{ext}"
                with open(os.path.join(out, name), "wb") as img:
                    img.write(data)
                files.append(name)
                m += 1
            f.write(json.dumps({"id": str(r["id"]), "question_type": r.get("question_type"), "question": r["question"],
                                "answer": r["answer"], "images": files}, ensure_ascii=False) + "\n")
            n += 1
    return f"wrote {n} questions to {out}/mmsi.jsonl and {m} images to {out}/images/"


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("vsi_bench", "mmsi"):
        sys.exit(__doc__)
    bench, src, data = sys.argv[1:]
    out = os.path.join(data, bench)
    os.makedirs(out, exist_ok=True)
    print(f"{bench}: " + (vsi if bench == "vsi_bench" else mmsi)(src, out))


if __name__ == "__main__":
    main()
