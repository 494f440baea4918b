#!/usr/bin/env bash
# Knowledge import benchmark (docs/performance.md): 100,000 rows built from the Bitext sample with unique
# questions, imported by the app's own import path (format detection, mapping, validation, duplicate check,
# batches, FTS5 index) and, as the baseline in the same run, by sqlite3's `.import` into a bare table.
# usage: bench/knowledge-import.sh [rows]      (needs sqlite3; the Bitext CSV beside the repository)
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
ROWS=${1:-100000}
BITEXT=${HITL_BITEXT_CSV:-eval/data/bitext/customer_support_intents.csv}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 1. Build the file with sqlite3 itself: the sample, repeated, each question made unique by a suffix.
sqlite3 "$WORK/gen.db" <<SQL >/dev/null
.import --csv $BITEXT bitext
.headers on
.mode csv
.once $WORK/knowledge.csv
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ($ROWS / 4514) + 1)
SELECT b.instruction || ' (variant ' || n.i || ')' AS question, b.response AS answer, b.category, b.intent, b.tags
FROM n CROSS JOIN bitext b LIMIT $ROWS;
SQL
echo "file: $(wc -c < "$WORK/knowledge.csv") bytes, $ROWS rows"

# 2. Baseline: sqlite3 .import of the same file into a fresh database.
start=$(date +%s%N)
sqlite3 "$WORK/baseline.db" ".import --csv $WORK/knowledge.csv kb"
base_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "baseline sqlite3 .import: ${base_ms} ms"

# 3. The app: a fresh SQLite database with the demo workspace, then the import command (Release build).
dotnet build HitlConsole/HitlConsole.csproj -c Release --nologo -v q >/dev/null
export ConnectionStrings__Sqlite="Data Source=$WORK/app.db" Demo__Enabled=true Demo__Password=BenchOnly-2026x \
       KnowledgeImport__Folder="$WORK/imports" Serilog__MinimumLevel__Default=Warning
result=$(dotnet HitlConsole/bin/Release/net10.0/HitlConsole.dll import-knowledge --file "$WORK/knowledge.csv" --workspace "Demo Support" | tail -1)
echo "app import: $result"
app_ms=$(echo "$result" | sed -E 's/.*"elapsedMs":([0-9]+).*/\1/')
peak=$(echo "$result" | sed -E 's/.*"peakWorkingSetMb":([0-9]+).*/\1/')
echo "ratio app / sqlite3 .import: $(awk -v a="$app_ms" -v b="$base_ms" 'BEGIN { printf "%.2f", a / b }') (goal <= 4), peak working set ${peak} MB (goal < 400)"
