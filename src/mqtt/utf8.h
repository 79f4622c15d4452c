#pragma once

#include <string_view>

namespace fg::mqtt {

// True if `s` is an acceptable MQTT UTF-8 Encoded String body (MQTT 5 §1.5.4, 3.1.1 §1.5.3):
// well-formed UTF-8 per RFC 3629 (no overlong forms, no surrogates U+D800..U+DFFF, nothing
// above U+10FFFF) and no U+0000. Control characters and non-characters are allowed: the spec
// says senders SHOULD NOT use them, and AWS IoT accepts them.
bool IsValidMqttUtf8(std::string_view s);

}  // namespace fg::mqtt
