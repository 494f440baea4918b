# syntax=docker/dockerfile:1
# Build: docker build -t hitlconsole .
# Run:   docker run -p 8080:8080 -v hitl-data:/app/data hitlconsole
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY HitlConsole.sln Directory.Build.props appsettings.json ./
COPY HitlConsole/HitlConsole.csproj HitlConsole/
RUN dotnet restore HitlConsole/HitlConsole.csproj
COPY . .
# The same command the test suite runs (Build/PublishedBuildTests): keep them identical.
RUN dotnet publish HitlConsole/HitlConsole.csproj -c Release -o /app/publish --nologo -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_RUNNING_IN_CONTAINER=true
COPY --from=build /app/publish .
# The app's data folder (SQLite database by default) lives on a volume owned by the non-root user.
RUN mkdir -p /app/data && chown -R $APP_UID /app/data
VOLUME /app/data
USER $APP_UID
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["dotnet", "HitlConsole.dll", "--health-probe", "http://127.0.0.1:8080/health/live"]
ENTRYPOINT ["dotnet", "HitlConsole.dll"]
