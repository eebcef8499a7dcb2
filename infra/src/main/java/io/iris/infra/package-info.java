/**
 * The real infrastructure IRIS needs, started on this machine: a KRaft Kafka broker, a
 * Confluent-compatible schema registry (Apicurio) and Redis, each in its own process bound to
 * loopback. The {@code ./iris} launcher starts them as daemons; the JUnit fixture {@link
 * io.iris.infra.LocalInfraExtension} starts them as children of the test JVM.
 */
package io.iris.infra;
