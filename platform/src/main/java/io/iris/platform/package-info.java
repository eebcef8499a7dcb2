/**
 * What every IRIS service shares: {@code IRIS_*} configuration ({@link
 * io.iris.platform.IrisConfig}, {@link io.iris.platform.Settings}), Kafka client and Streams
 * settings ({@link io.iris.platform.KafkaSettings}), metrics and health over HTTP, and an orderly
 * shutdown, tied together by {@link io.iris.platform.ServiceRuntime}.
 */
package io.iris.platform;
