#pragma once

// The composition root: the one place that knows every component. It opens the store, loads
// the key material of the data directory, builds the registry services, the control plane and
// the listeners, and owns them all for the life of `fleetguard serve`.

#include <cstdint>
#include <memory>
#include <string>

#include "app/commands.h"
#include "app/data_dir.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::app {

class Node {
 public:
  // Everything is created and the listeners are bound (so a busy port fails here), but nothing
  // runs until Start().
  static Result<std::unique_ptr<Node>> Create(const ServeOptions& options, const Clock& clock);
  ~Node();

  void Start();
  // Stops the listeners and waits for in-flight work. Idempotent.
  void Stop();

  // {"api":"127.0.0.1:41234", ...}: what `serve` prints once listening.
  std::string ListeningJson() const;

 private:
  struct Parts;
  explicit Node(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace fg::app
