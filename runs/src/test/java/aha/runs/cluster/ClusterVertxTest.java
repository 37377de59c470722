package aha.runs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.sampler.settings.InvalidFieldException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Members on 127.0.0.1: those with the password meet and message each other, a stranger does not. */
class ClusterVertxTest {

  private final List<ClusterVertx> started = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (ClusterVertx member : started) {
      await(member.close());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void membersWithThePasswordShareAnEventBusAndAStrangerIsKeptOut() throws Exception {
    int portA = freePort();
    int portB = freePort();
    int portC = freePort();
    String a = "127.0.0.1:" + portA;
    String b = "127.0.0.1:" + portB;
    ClusterVertx first = start(new ClusterSettings("lab", "correct horse", "127.0.0.1", portA, 0, List.of(b)));
    ClusterVertx second = start(new ClusterSettings("lab", "correct horse", "127.0.0.1", portB, 0, List.of(a)));
    waitForMembers(first, 2);
    second.vertx().eventBus().<String>consumer("aha.test.echo", message -> message.reply("echo " + message.body()));
    // a registration reaches the other members asynchronously
    String answer = null;
    for (int tries = 0; answer == null && tries < 100; tries++) {
      try {
        answer = await(first.vertx().eventBus().<String>request("aha.test.echo", "hello")).body();
      } catch (ExecutionException e) {
        Thread.sleep(100);
      }
    }
    assertEquals("echo hello", answer);

    ClusterVertx stranger =
        start(new ClusterSettings("lab", "wrong horse", "127.0.0.1", portC, 0, List.of(a, b)));
    Thread.sleep(2000); // time enough to have joined, had its cluster name matched
    assertEquals(1, stranger.members().size(), stranger.members().toString());
    assertEquals(2, first.members().size(), first.members().toString());
    ExecutionException refused =
        assertThrows(
            ExecutionException.class,
            () -> await(stranger.vertx().eventBus().<String>request("aha.test.echo", "let me in")));
    assertEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) refused.getCause()).failureType());
  }

  @Test
  void settingsNameTheFieldThatIsWrong() {
    assertEquals("password", assertThrows(InvalidFieldException.class,
        () -> new ClusterSettings("lab", "short", "127.0.0.1", 5701, 0, List.of())).field());
    assertEquals("members", assertThrows(InvalidFieldException.class,
        () -> new ClusterSettings("lab", "long enough", "127.0.0.1", 5701, 0, List.of("host-without-port"))).field());
    assertEquals("port", assertThrows(InvalidFieldException.class,
        () -> new ClusterSettings("lab", "long enough", "127.0.0.1", 0, 0, List.of())).field());
    assertEquals("name", assertThrows(InvalidFieldException.class,
        () -> new ClusterSettings("my lab", "long enough", "127.0.0.1", 5701, 0, List.of())).field());
    // the password shapes the cluster name, and never appears in it
    String name = new ClusterSettings("lab", "long enough", "127.0.0.1", 5701, 0, List.of()).hazelcastClusterName();
    assertTrue(name.startsWith("lab-") && !name.contains("long enough"), name);
    assertNotEquals(name, new ClusterSettings("lab", "long enough!", "127.0.0.1", 5701, 0, List.of()).hazelcastClusterName());
  }

  private ClusterVertx start(ClusterSettings settings) throws Exception {
    ClusterVertx member = await(ClusterVertx.start(settings));
    started.add(member);
    return member;
  }

  private static void waitForMembers(ClusterVertx member, int count) throws InterruptedException {
    for (int tries = 0; member.members().size() < count && tries < 300; tries++) {
      Thread.sleep(100);
    }
    assertEquals(count, member.members().size(), member.members().toString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
