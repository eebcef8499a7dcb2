package io.iris.platform;

import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.registry.SchemaRegistryException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start-up that the schema registry accepts a service's login. Without the check a
 * registry that refuses the credentials would be found out by the first record read, and every
 * record after it would fail to decode. A refusal (HTTP 401 or 403) is a {@link
 * ConfigurationException} naming the variable to fix; a registry that does not answer is only a
 * warning, since the services wait for it.
 */
public final class RegistryLogin {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryLogin.class);

  private RegistryLogin() {}

  /** Lists the registry's subjects once with the serde settings {@code serde}, no retries. */
  public static void check(Map<String, Object> serde) {
    Map<String, Object> once = new HashMap<>(serde);
    once.put(RegistryConfig.MAX_RETRIES, 0);
    String where = String.valueOf(serde.get(RegistryConfig.URL));
    try {
      new SchemaRegistryClient(RegistryConfig.from(once)).subjects();
    } catch (SchemaRegistryException e) {
      int status = e.httpStatus().orElse(0);
      if (status == 401 || status == 403) {
        throw new ConfigurationException(
            "the schema registry at "
                + where
                + " refused this service (HTTP "
                + status
                + "). Check the user and password in IRIS_SCHEMA_REGISTRY_USER_INFO ("
                + (serde.containsKey(RegistryConfig.BASIC_AUTH_USER_INFO) ? "set" : "not set")
                + ").");
      }
      LOG.warn(
          "the schema registry at {} did not answer the login check ({}); starting anyway, the"
              + " services wait for it",
          where,
          KafkaLogin.masked(e.getMessage(), serde));
    }
  }
}
