# The LMS Streams service (and its operator CLI) as an image.
#
#   docker build -t lms-streams .
#   docker run --rm -p 8080:8080 -e KAFKA_BOOTSTRAP_SERVERS=kafka:9092 lms-streams       # the service
#   docker run --rm -e KAFKA_BOOTSTRAP_SERVERS=kafka:9092 lms-streams topics              # a tool
#
# Without KAFKA_BOOTSTRAP_SERVERS the service starts its embedded single-node broker, with its
# data in the same volume as the state: fine to try it, not for production.

# ---- build: the jar and its dependencies, with the JDK and Maven
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# Tests run in CI (`mvn -B verify`), not in every image build.
RUN mvn -B -q -pl streams-app -am package -DskipTests

# ---- runtime: a JRE, the jar and lib/, a user of its own
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 lms \
    && useradd --system --uid 10001 --gid lms --home-dir /var/lib/lms --no-create-home lms \
    && mkdir -p /opt/lms /var/lib/lms/state \
    && chown -R lms:lms /var/lib/lms
COPY --from=build /src/streams-app/target/lib/ /opt/lms/lib/
COPY --from=build /src/streams-app/target/lms-streams.jar /opt/lms/lms-streams.jar

# RocksDB state: a new volume starts with this directory's owner, so the non-root user can write.
# Keep it across restarts and upgrades: without it every start restores all state from Kafka.
VOLUME ["/var/lib/lms"]
ENV LMS_STATE_DIR=/var/lib/lms/state \
    LMS_EMBEDDED_DATA_DIR=/var/lib/lms/kafka \
    LMS_HTTP_HOST=0.0.0.0 \
    LMS_HTTP_PORT=8080
EXPOSE 8080
USER lms
WORKDIR /var/lib/lms

# No HEALTHCHECK: the eclipse-temurin images do not promise curl or wget (newer ones dropped
# them), and installing one only for that is not worth a layer; docker-compose.yml checks
# /health/ready with bash instead.
# Half the container's memory for the heap: RocksDB's block cache and memtables live outside it.
# More JVM options: JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-jar", "/opt/lms/lms-streams.jar"]
CMD ["run"]
