# wire-ingest container image, built from the project with the Maven wrapper:
#   docker build -t wire-ingest:0.1.0 .
# Runs as a non-root user; the ops HTTP server (/metrics, /health/live, /health/ready) on 8080.
# The corpus suites need ../shared/corpus, absent in the build context: tests are skipped here
# (CI runs them: .ci/run).

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY schemas/pom.xml schemas/pom.xml
COPY ingest-service/pom.xml ingest-service/pom.xml
# Maven reads every module the root POM lists, built or not: the benchmarks module's POM only.
COPY benchmarks/pom.xml benchmarks/pom.xml
RUN ./mvnw -B -q -pl ingest-service -am dependency:go-offline -DexcludeArtifactIds=wire-ingest-schemas || true
COPY schemas schemas
COPY ingest-service ingest-service
RUN ./mvnw -B -q -pl ingest-service -am -DskipTests package

FROM eclipse-temurin:17-jre
# curl: for the compose health checks on /health/ready
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app wire \
    && mkdir -p /data && chown 10001 /data
COPY --from=build /src/ingest-service/target/wire-ingest.jar /app/wire-ingest.jar
COPY deploy/feeds /app/feeds
USER 10001
WORKDIR /app
EXPOSE 8080
VOLUME /data
# JVM options as for bin/wire-ingest: set WIRE_INGEST_JAVA_OPTS to replace them (the parallel
# collector: docs/benchmarks-history.md, night round; -XX:+UseG1GC brings G1 back).
ENV WIRE_INGEST_JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+UseParallelGC"
ENTRYPOINT ["sh", "-c", "exec java $WIRE_INGEST_JAVA_OPTS -jar /app/wire-ingest.jar \"$@\"", "wire-ingest"]
CMD ["run", "--feeds", "/app/feeds/agencies.yaml", "--data-dir", "/data"]
