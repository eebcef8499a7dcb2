package io.iris.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates every topic {@link Topics} declares, with its partitions and configs. */
public final class TopicSetup {
  private TopicSetup() {}

  /** What {@link #ensure} did. */
  public record Result(List<String> created, List<String> existing, List<String> problems) {}

  /**
   * Creates the declared topics that do not exist yet; reports existing ones with fewer partitions
   * than declared (partitions are never changed behind the operator's back).
   */
  public static Result ensure(Admin admin) throws ExecutionException, InterruptedException {
    return ensure(admin, Map.of());
  }

  /**
   * The same, with the partition counts of some topics (by name) set by the operator instead of the
   * declared defaults: services scale out only to a topic's partition count.
   */
  public static Result ensure(Admin admin, Map<String, Integer> partitions)
      throws ExecutionException, InterruptedException {
    Set<String> present = admin.listTopics().names().get();
    List<NewTopic> missing = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    for (Topic<?> topic : Topics.all()) {
      if (present.contains(topic.name())) {
        existing.add(topic.name());
      } else {
        missing.add(
            new NewTopic(
                    topic.name(),
                    partitions.getOrDefault(topic.name(), topic.defaultPartitions()),
                    (short) -1)
                .configs(topic.configs()));
      }
    }
    if (!missing.isEmpty()) {
      for (var created : admin.createTopics(missing).values().values()) {
        try {
          created.get();
        } catch (ExecutionException e) {
          // Another client created it between our list and our create: fine.
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
    List<String> problems = new ArrayList<>();
    if (!existing.isEmpty()) {
      Map<String, TopicDescription> descriptions =
          admin.describeTopics(existing).allTopicNames().get();
      for (String name : existing) {
        Topic<?> topic = Topics.byName(name).orElseThrow();
        int actual = descriptions.get(name).partitions().size();
        int wanted = partitions.getOrDefault(name, topic.defaultPartitions());
        if (actual < wanted) {
          problems.add(
              name
                  + " has "
                  + actual
                  + " partitions, "
                  + wanted
                  + " are configured (services scale only to the partition count; add"
                  + " partitions with kafka-topics --alter, knowing keys then move)");
        }
      }
    }
    return new Result(missing.stream().map(NewTopic::name).toList(), existing, problems);
  }
}
