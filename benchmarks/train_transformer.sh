#!/bin/sh
# Fine-tune the optional transformer target-sentiment model on NewsMTSC
# train.jsonl, write models/transformer/ and print the figures on both dev
# files. About 30 minutes on two CPU cores; runs at the lowest priority so
# that it does not disturb other work on the machine.
#
#   sh benchmarks/train_transformer.sh [EPOCHS] [THREADS]
#
# THREADS defaults to 2. On a machine whose cores are busy with other jobs,
# 1 thread trained twice as fast here (no waiting at thread barriers).
set -eu
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1
exec nice -n 19 python -c '
import sys
from analysis.transformer import train_cli
sys.exit(train_cli("data/newsmtsc/train.jsonl", None, int(sys.argv[1]), None, threads=int(sys.argv[2])))
' "${1:-3}" "${2:-2}"
