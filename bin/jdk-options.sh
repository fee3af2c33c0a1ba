# Sourced by bin/wire-ingest and deploy/kafka/start-broker.sh (not run by itself): sets the array
# jdk_opts to the JVM options that keep newer JDKs from warning about what the jar's libraries do,
# each given only to the JDKs that know it (JDK 17 refuses --sun-misc-unsafe-memory-access with
# "Unrecognized option"). The JDK is the one "${JAVA_HOME:+$JAVA_HOME/bin/}java" starts; its
# feature release (17, 25, ...) is read from its release file, without starting it. No release
# file: no options (the JVM then prints its warnings, nothing else changes).
#   JDK 22+: --enable-native-access=ALL-UNNAMED: zstd-jni, lz4-java and rocksdbjni load native
#     libraries ("WARNING: A restricted method in java.lang.System has been called"). `java -jar`
#     of wire-ingest.jar needs no option (its manifest has Enable-Native-Access); `-cp` does.
#   JDK 24+: --sun-misc-unsafe-memory-access=allow: the Kafka broker unmaps its index files with
#     sun.misc.Unsafe::invokeCleaner (ByteBufferUnmapper, still in Kafka 4.3), which JDK 24+
#     reports as "A terminally deprecated method in sun.misc.Unsafe has been called" (JEP 498).
jdk_home=${JAVA_HOME:-}
if [ -z "$jdk_home" ] && jdk_java=$(command -v java); then
  jdk_home=$(dirname "$(dirname "$(readlink -f "$jdk_java")")")
fi
jdk_feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk_home/release" 2>/dev/null || true)
jdk_feature=${jdk_feature:-0}
jdk_opts=()
if [ "$jdk_feature" -ge 22 ]; then jdk_opts+=(--enable-native-access=ALL-UNNAMED); fi
if [ "$jdk_feature" -ge 24 ]; then jdk_opts+=(--sun-misc-unsafe-memory-access=allow); fi
