#include "mqtt/outbound_window.h"

#include <algorithm>

namespace fg::mqtt {

std::size_t OutboundWindow::Window() const {
  return std::min<std::size_t>(limits_->max_inflight, receive_maximum_);
}

std::uint16_t OutboundWindow::NextPacketId() {
  // Ids cycle through 1..65535 (0 is invalid, MQTT-2.2.1-3), skipping ones still in flight;
  // the window is far smaller than the id space, so this terminates quickly.
  while (true) {
    last_id_ = static_cast<std::uint16_t>(last_id_ == 65535 ? 1 : last_id_ + 1);
    if (std::find(inflight_.begin(), inflight_.end(), last_id_) == inflight_.end()) {
      return last_id_;
    }
  }
}

PublishPacket OutboundWindow::Assign(ApplicationMessage message) {
  PublishPacket p;
  p.qos = message.qos;
  p.retain = message.retain;
  p.topic = std::move(message.topic);
  p.payload = std::move(message.payload);
  p.properties = std::move(message.properties);
  if (p.qos != QoS::kAtMostOnce) {
    p.packet_id = NextPacketId();
    inflight_.push_back(p.packet_id);
    if (keep_unacknowledged_) {
      unacked_.push_back(p);
    }
  }
  return p;
}

Delivery OutboundWindow::Offer(ApplicationMessage message, QoS qos) {
  message.qos = qos;
  const bool window_full = inflight_.size() >= Window();
  if (!window_full && (qos == QoS::kAtMostOnce || queue_.empty())) {
    return {DeliveryOutcome::kSend, Assign(std::move(message))};
  }
  if (qos == QoS::kAtMostOnce) {
    ++dropped_;
    return {DeliveryOutcome::kDropped, std::nullopt};
  }
  if (queue_.size() >= limits_->max_queued ||
      queued_bytes_ + message.payload.size() > limits_->max_queued_bytes) {
    ++dropped_;
    return {DeliveryOutcome::kDropped, std::nullopt};
  }
  queued_bytes_ += message.payload.size();
  queue_.push_back(std::move(message));
  return {DeliveryOutcome::kQueued, std::nullopt};
}

std::vector<PublishPacket> OutboundWindow::OnPuback(std::uint16_t packet_id) {
  std::vector<PublishPacket> ready;
  auto it = std::find(inflight_.begin(), inflight_.end(), packet_id);
  if (it == inflight_.end()) {
    ++unknown_acks_;
    return ready;
  }
  if (keep_unacknowledged_) {
    unacked_.erase(unacked_.begin() + (it - inflight_.begin()));
  }
  inflight_.erase(it);
  std::size_t taken = 0;
  while (taken < queue_.size() && inflight_.size() < Window()) {
    queued_bytes_ -= queue_[taken].payload.size();
    ready.push_back(Assign(std::move(queue_[taken])));
    ++taken;
  }
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(taken));
  if (queue_.empty()) {
    std::vector<ApplicationMessage>().swap(queue_);  // give the memory back once drained
  }
  if (inflight_.empty()) {
    std::vector<std::uint16_t>().swap(inflight_);
    std::vector<PublishPacket>().swap(unacked_);
  }
  return ready;
}

std::pair<std::vector<PublishPacket>, std::vector<ApplicationMessage>> OutboundWindow::TakeState() {
  std::pair<std::vector<PublishPacket>, std::vector<ApplicationMessage>> state{std::move(unacked_),
                                                                               std::move(queue_)};
  unacked_.clear();
  queue_.clear();
  inflight_.clear();
  queued_bytes_ = 0;
  return state;
}

std::vector<PublishPacket> OutboundWindow::Restore(std::vector<PublishPacket> unacknowledged,
                                                   std::vector<ApplicationMessage> pending) {
  std::vector<PublishPacket> send;
  std::vector<ApplicationMessage> waiting;
  for (PublishPacket& p : unacknowledged) {
    const bool duplicate_id =
        std::find(inflight_.begin(), inflight_.end(), p.packet_id) != inflight_.end();
    if (inflight_.size() < Window() && p.packet_id != 0 && !duplicate_id) {
      p.dup = true;
      inflight_.push_back(p.packet_id);
      if (keep_unacknowledged_) {
        unacked_.push_back(p);
      }
      send.push_back(std::move(p));
      continue;
    }
    waiting.push_back(ApplicationMessage{std::move(p.topic), std::move(p.payload), p.qos, p.retain,
                                         std::move(p.properties)});
  }
  for (ApplicationMessage& m : pending) {
    waiting.push_back(std::move(m));
  }
  std::size_t taken = 0;
  while (taken < waiting.size() && inflight_.size() < Window()) {
    send.push_back(Assign(std::move(waiting[taken])));
    ++taken;
  }
  for (std::size_t i = taken; i < waiting.size(); ++i) {
    queued_bytes_ += waiting[i].payload.size();
    queue_.push_back(std::move(waiting[i]));
  }
  return send;
}

}  // namespace fg::mqtt
