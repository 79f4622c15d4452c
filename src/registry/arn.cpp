#include "registry/arn.h"

namespace fg::registry {
namespace {

constexpr std::string_view kPrefix = "arn:aws:iot:";

std::string MakeArn(std::string_view region, std::string_view account_id, std::string_view type,
                    std::string_view id) {
  std::string arn(kPrefix);
  arn += region;
  arn += ':';
  arn += account_id;
  arn += ':';
  arn += type;
  arn += '/';
  arn += id;
  return arn;
}

}  // namespace

std::string CertificateArn(std::string_view region, std::string_view account_id,
                           std::string_view certificate_id) {
  return MakeArn(region, account_id, "cert", certificate_id);
}

std::string CaCertificateArn(std::string_view region, std::string_view account_id,
                             std::string_view certificate_id) {
  return MakeArn(region, account_id, "cacert", certificate_id);
}

std::string ThingArn(std::string_view region, std::string_view account_id,
                     std::string_view thing_name) {
  return MakeArn(region, account_id, "thing", thing_name);
}

std::string ThingGroupArn(std::string_view region, std::string_view account_id,
                          std::string_view group_name) {
  return MakeArn(region, account_id, "thinggroup", group_name);
}

Result<ParsedArn> ParseIotArn(std::string_view arn) {
  auto bad = [] { return Fail(ErrorCode::kInvalidArgument, "invalid ARN"); };
  if (!arn.starts_with(kPrefix)) {
    return bad();
  }
  std::string_view rest = arn.substr(kPrefix.size());
  const size_t region_end = rest.find(':');
  if (region_end == std::string_view::npos || region_end == 0) {
    return bad();
  }
  ParsedArn out;
  out.region = std::string(rest.substr(0, region_end));
  rest.remove_prefix(region_end + 1);
  const size_t account_end = rest.find(':');
  if (account_end == std::string_view::npos || account_end == 0) {
    return bad();
  }
  out.account_id = std::string(rest.substr(0, account_end));
  rest.remove_prefix(account_end + 1);
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size()) {
    return bad();
  }
  out.resource_type = std::string(rest.substr(0, slash));
  out.resource_id = std::string(rest.substr(slash + 1));
  return out;
}

}  // namespace fg::registry
