// `fleetguard serve`: builds the node and runs it until SIGINT or SIGTERM.

#include <iostream>
#include <pthread.h>
#include <signal.h>

#include "app/commands.h"
#include "app/wiring.h"

namespace fg::app {

Result<void> RunServe(const ServeOptions& options) {
  // Block the stop signals before any thread starts, so that every thread inherits the mask
  // and sigwait below is the one place that receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto node = Node::Create(options, SystemClock::Instance());
  if (!node) {
    return Fail(node.error());
  }
  (*node)->Start();
  std::cout << (*node)->ListeningJson() << std::endl;

  int received = 0;
  sigwait(&stop_signals, &received);
  (*node)->Stop();
  return Ok();
}

}  // namespace fg::app
