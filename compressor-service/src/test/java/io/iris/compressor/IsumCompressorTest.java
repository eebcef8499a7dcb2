package io.iris.compressor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IsumCompressorTest {

  private static WorkloadTemplate t(String id, double cost, String table, String... columns) {
    Map<String, Double> cols = new java.util.HashMap<>();
    for (String c : columns) {
      cols.put(table + "." + c, 1.0);
    }
    return new WorkloadTemplate(id, "SELECT " + id, Set.of(table), cols, cost, 10);
  }

  /** Three families of similar statements; the costliest family has many members. */
  private static List<WorkloadTemplate> families() {
    List<WorkloadTemplate> w = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      w.add(t("orders-" + i, 100 - i, "ORDERS", "STATUS", "CUSTOMER_ID"));
    }
    w.add(t("items", 30, "ITEMS", "PRODUCT_ID"));
    w.add(t("payments", 20, "PAYMENTS", "ORDER_ID"));
    return w;
  }

  @Test
  void isumCoversWhatTopKByCostMisses() {
    List<WorkloadTemplate> w = families();
    Compression isum = Representatives.compress(new IsumCompressor(), w, 3, 0);
    Compression top = Representatives.compress(Baselines.TOP_K_COST, w, 3, 0);
    assertEquals(
        Set.of("orders-0", "items", "payments"),
        Set.copyOf(isum.representatives().stream().map(r -> r.template().templateId()).toList()));
    assertEquals(
        List.of("orders-0", "orders-1", "orders-2"),
        top.representatives().stream().map(r -> r.template().templateId()).toList());
    assertEquals(1.0, isum.columnCoverage(), 1e-9);
    assertTrue(top.columnCoverage() < isum.columnCoverage());
    assertEquals(1.0, isum.tableCoverage(), 1e-9);
  }

  @Test
  void weightsAddUpToTheWorkloadAndEveryTemplateIsRepresented() {
    List<WorkloadTemplate> w = families();
    Compression c = Representatives.compress(new IsumCompressor(), w, 3, 0);
    assertEquals(
        c.totalCost(),
        c.representatives().stream().mapToDouble(Compression.Representative::weight).sum(),
        1e-9);
    assertEquals(
        w.size(),
        c.representatives().stream()
            .mapToInt(Compression.Representative::representedTemplates)
            .sum());
    Compression.Representative orders =
        c.representatives().stream()
            .filter(r -> r.template().templateId().equals("orders-0"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        10,
        orders.representedTemplates(),
        "the other orders statements are assigned to their family's pick");
    assertEquals(12, c.totalTemplates());
  }

  @Test
  void theSameInputInAnyOrderGivesTheSameOutput() {
    List<WorkloadTemplate> w = new ArrayList<>(families());
    List<String> first =
        Representatives.compress(new IsumCompressor(), w, 4, 0).representatives().stream()
            .map(r -> r.template().templateId())
            .toList();
    Collections.shuffle(w, new Random(3));
    List<String> again =
        Representatives.compress(new IsumCompressor(), w, 4, 0).representatives().stream()
            .map(r -> r.template().templateId())
            .toList();
    assertEquals(first, again);
  }

  @Test
  void aTargetCoverageGivesTheFewestPicksReachingIt() {
    List<WorkloadTemplate> w = families();
    double total = w.stream().mapToDouble(WorkloadTemplate::cost).sum();
    Compression c = Representatives.compress(new IsumCompressor(), w, 0, 0.5);
    assertTrue(c.costCoverage() >= 0.5);
    double withoutLast =
        c.representatives().subList(0, c.representatives().size() - 1).stream()
            .mapToDouble(r -> r.template().cost())
            .sum();
    assertTrue(withoutLast / total < 0.5, "one pick fewer would not reach the target");
  }

  @Test
  void baselinesAreDeterministic() {
    List<WorkloadTemplate> w = families();
    assertEquals(
        Representatives.compress(Baselines.random(7), w, 4, 0).representatives().stream()
            .map(r -> r.template().templateId())
            .toList(),
        Representatives.compress(Baselines.random(7), w, 4, 0).representatives().stream()
            .map(r -> r.template().templateId())
            .toList());
    assertNotEquals(
        Representatives.compress(Baselines.random(7), w, 6, 0).representatives().stream()
            .map(r -> r.template().templateId())
            .toList(),
        Representatives.compress(Baselines.random(8), w, 6, 0).representatives().stream()
            .map(r -> r.template().templateId())
            .toList());
    assertEquals("TOP_K_COST", Baselines.TOP_K_COST.name());
    assertEquals(
        0,
        Representatives.compress(new IsumCompressor(), List.of(), 5, 0).representatives().size());
  }

  @Test
  void templatesWithoutColumnsCanStillBePicked() {
    List<WorkloadTemplate> w =
        List.of(
            new WorkloadTemplate("plsql", "BEGIN P(?); END", Set.of(), Map.of(), 500, 1),
            t("orders", 10, "ORDERS", "STATUS"));
    Compression c = Representatives.compress(new IsumCompressor(), w, 2, 0);
    assertEquals(2, c.representatives().size());
    assertEquals(1.0, c.costCoverage(), 1e-9);
  }
}
