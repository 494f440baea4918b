#!/bin/bash
# EF Core writes each provider's model snapshot one folder too deep from this layout; the loop puts it back.
# usage: scripts/add-migration.sh Name  -- adds a migration for both providers and fixes the snapshot location
set -e
cd "$(git rev-parse --show-toplevel)"
for p in Sqlite Postgres; do
  dotnet ef migrations add "$1" --project HitlConsole --context ${p}HitlDbContext --output-dir Infrastructure/Data/Migrations/$p --namespace HitlConsole.Infrastructure.Data.Migrations.$p
  if [ -d HitlConsole/HitlConsole ]; then mv HitlConsole/HitlConsole/Infrastructure/Data/Migrations/$p/*.cs HitlConsole/Infrastructure/Data/Migrations/$p/; rm -rf HitlConsole/HitlConsole; fi
done
