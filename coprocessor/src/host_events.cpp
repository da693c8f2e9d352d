#include "coprocessor/host_events.h"

#include <algorithm>
#include <map>
#include <set>

#include "chain/abi.h"
#include "store/pg.h"

namespace coproc {

namespace {

using chain::abi::Event;
using chain::abi::Value;

// FHEVMExecutor events (FHEEvents.sol) with their operation numbers.
struct ExecEvent {
  Event event;
  int16_t op;
};

const std::vector<ExecEvent>& exec_events() {
  static const std::vector<ExecEvent> v = [] {
    std::vector<ExecEvent> out;
    static const char* const kBinary[] = {"FheAdd",    "FheSub",   "FheMul",    "FheDiv", "FheRem",
                                          "FheBitAnd", "FheBitOr", "FheBitXor", "FheShl", "FheShr",
                                          "FheRotl",   "FheRotr",  "FheEq",     "FheNe",  "FheGe",
                                          "FheGt",     "FheLe",    "FheLt",     "FheMin", "FheMax"};
    for (int16_t i = 0; i < 20; ++i) {
      out.push_back({Event::parse(std::string(kBinary[i]) +
                                  "(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 "
                                  "scalarByte, bytes32 result)"),
                     i});
    }
    out.push_back({Event::parse("FheNeg(address indexed caller, bytes32 ct, bytes32 result)"), 20});
    out.push_back({Event::parse("FheNot(address indexed caller, bytes32 ct, bytes32 result)"), 21});
    out.push_back(
        {Event::parse("Cast(address indexed caller, bytes32 ct, uint8 toType, bytes32 result)"),
         23});
    out.push_back({Event::parse("TrivialEncrypt(address indexed caller, uint256 pt, uint8 toType, "
                                "bytes32 result)"),
                   24});
    out.push_back({Event::parse("FheIfThenElse(address indexed caller, bytes32 control, bytes32 "
                                "ifTrue, bytes32 ifFalse, bytes32 result)"),
                   25});
    out.push_back({Event::parse("FheRand(address indexed caller, uint8 randType, bytes16 seed, "
                                "bytes32 result)"),
                   26});
    out.push_back({Event::parse("FheRandBounded(address indexed caller, uint256 upperBound, uint8 "
                                "randType, bytes16 seed, bytes32 result)"),
                   27});
    out.push_back(
        {Event::parse("FheSum(address indexed caller, bytes32[] values, bytes32 result)"), 28});
    out.push_back({Event::parse("FheIsIn(address indexed caller, bytes32 value, bytes32[] values, "
                                "bytes32 result)"),
                   29});
    out.push_back({Event::parse("FheMulDiv(address indexed caller, bytes32 factor1, bytes32 "
                                "factor2, bytes32 divisor, bytes1 scalarByte, bytes32 result)"),
                   30});
    return out;
  }();
  return v;
}

const Event& acl_allowed() {
  static const Event e =
      Event::parse("Allowed(address indexed caller, address indexed account, bytes32 handle)");
  return e;
}
const Event& acl_allowed_for_decryption() {
  static const Event e =
      Event::parse("AllowedForDecryption(address indexed caller, bytes32[] handlesList)");
  return e;
}
const Event& acl_delegated() {
  static const Event e = Event::parse(
      "DelegatedForUserDecryption(address indexed delegator, address indexed delegate, address "
      "contractAddress, uint64 delegationCounter, uint64 oldExpirationDate, uint64 "
      "newExpirationDate)");
  return e;
}
const Event& acl_revoked() {
  static const Event e = Event::parse(
      "RevokedDelegationForUserDecryption(address indexed delegator, address indexed delegate, "
      "address contractAddress, uint64 delegationCounter, uint64 oldExpirationDate)");
  return e;
}

Handle handle_of(const Value& v) {
  const chain::Hash32 h = v.as_hash32();
  Handle out{};
  std::copy(h.bytes.begin(), h.bytes.end(), out.begin());
  return out;
}
Bytes bytes_of(const Handle& h) {
  return Bytes(h.begin(), h.end());
}
Bytes word(const fhe::U256& v) {
  Bytes b(32);
  for (int i = 0; i < 32; ++i)
    b[31 - static_cast<std::size_t>(i)] = static_cast<uint8_t>(v.w[i / 8] >> (8 * (i % 8)));
  return b;
}
Bytes tx_of(const chain::Log& l) {
  return Bytes(l.transaction_hash.bytes.begin(), l.transaction_hash.bytes.end());
}

// The computations row of one executor event (the upstream mapping table).
ComputationRow row_of(const ExecEvent& ev, const std::vector<Value>& a, const chain::Log& l) {
  ComputationRow r;
  r.fhe_operation = ev.op;
  r.transaction_id = tx_of(l);
  // a[0] is the caller; the result is always the last parameter.
  r.output_handle = handle_of(a.back());
  if (ev.op <= 19) {
    const uint8_t scalar = a[3].as_bytes().at(0);
    r.dependencies = {bytes_of(handle_of(a[1])), bytes_of(handle_of(a[2]))};
    r.is_scalar = scalar != 0;
  } else if (ev.op == 20 || ev.op == 21) {
    r.dependencies = {bytes_of(handle_of(a[1]))};
  } else if (ev.op == 23) {
    r.dependencies = {bytes_of(handle_of(a[1])), Bytes{static_cast<uint8_t>(a[2].as_u64())}};
    r.is_scalar = true;
  } else if (ev.op == 24) {
    r.dependencies = {word(a[1].as_u256()), Bytes{static_cast<uint8_t>(a[2].as_u64())}};
    r.is_scalar = true;
  } else if (ev.op == 25) {
    r.dependencies = {bytes_of(handle_of(a[1])), bytes_of(handle_of(a[2])),
                      bytes_of(handle_of(a[3]))};
  } else if (ev.op == 26) {
    r.dependencies = {a[2].as_bytes(), Bytes{static_cast<uint8_t>(a[1].as_u64())}};
    r.is_scalar = true;
  } else if (ev.op == 27) {
    r.dependencies = {a[3].as_bytes(), word(a[1].as_u256()),
                      Bytes{static_cast<uint8_t>(a[2].as_u64())}};
    r.is_scalar = true;
  } else if (ev.op == 28) {
    for (const Value& v : a[1].as_list()) r.dependencies.push_back(bytes_of(handle_of(v)));
  } else if (ev.op == 29) {
    r.dependencies.push_back(bytes_of(handle_of(a[1])));
    for (const Value& v : a[2].as_list()) r.dependencies.push_back(bytes_of(handle_of(v)));
  } else if (ev.op == 30) {
    const uint8_t scalar = a[4].as_bytes().at(0);
    r.dependencies = {bytes_of(handle_of(a[1])), bytes_of(handle_of(a[2])),
                      bytes_of(handle_of(a[3]))};
    r.is_scalar = scalar == 0x03;
  }
  return r;
}

}  // namespace

BlockRows decode_block(uint64_t chain_id, const chain::BlockHeader& header,
                       const std::vector<chain::Log>& logs, const chain::Address& acl,
                       const chain::Address& executor) {
  BlockRows b;
  b.chain_id = chain_id;
  b.number = header.number;
  b.hash.assign(header.hash.bytes.begin(), header.hash.bytes.end());
  b.parent_hash.assign(header.parent_hash.bytes.begin(), header.parent_hash.bytes.end());
  b.timestamp = header.timestamp;
  std::vector<const chain::Log*> ordered;
  for (const chain::Log& l : logs) {
    if (l.block_hash != header.hash) continue;  // another block (a reorg between the calls)
    ordered.push_back(&l);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const chain::Log* x, const chain::Log* y) { return x->log_index < y->log_index; });
  std::set<Handle> allowed;
  for (const chain::Log* lp : ordered) {
    const chain::Log& l = *lp;
    if (l.topics.empty()) continue;
    try {
      if (l.address == executor) {
        for (const ExecEvent& ev : exec_events()) {
          if (ev.event.topic0() == l.topics[0]) {
            b.computations.push_back(row_of(ev, ev.event.decode_log(l.topics, l.data), l));
            ++b.fhe_event_count;
            break;
          }
        }
      } else if (l.address == acl) {
        if (l.topics[0] == acl_allowed().topic0()) {
          const auto a = acl_allowed().decode_log(l.topics, l.data);
          const Handle h = handle_of(a[2]);
          b.allowed.push_back({h, a[1].as_address().checksum_hex(), 0, tx_of(l)});
          allowed.insert(h);
          ++b.allow_event_count;
        } else if (l.topics[0] == acl_allowed_for_decryption().topic0()) {
          const auto a = acl_allowed_for_decryption().decode_log(l.topics, l.data);
          for (const Value& v : a[1].as_list()) {
            b.allowed.push_back({handle_of(v), "", 1, tx_of(l)});
            allowed.insert(handle_of(v));
          }
          ++b.allow_event_count;
        } else if (l.topics[0] == acl_delegated().topic0() ||
                   l.topics[0] == acl_revoked().topic0()) {
          const bool revoke = l.topics[0] == acl_revoked().topic0();
          const auto a = (revoke ? acl_revoked() : acl_delegated()).decode_log(l.topics, l.data);
          DelegationRow d;
          const auto addr = [](const Value& v) {
            const chain::Address& x = v.as_address();
            return Bytes(x.bytes.begin(), x.bytes.end());
          };
          d.delegator = addr(a[0]);
          d.delegate = addr(a[1]);
          d.contract_address = addr(a[2]);
          d.delegation_counter = a[3].as_u64();
          d.old_expiration_date = a[4].as_u64();
          d.new_expiration_date = revoke ? 0 : a[5].as_u64();
          d.transaction_id = tx_of(l);
          b.delegations.push_back(std::move(d));
        }
      }
    } catch (const chain::DecodeError& e) {
      throw EventError("block " + std::to_string(header.number) + " log " +
                       std::to_string(l.log_index) + ": " + e.what());
    } catch (const std::out_of_range& e) {
      throw EventError("block " + std::to_string(header.number) + " log " +
                       std::to_string(l.log_index) + ": malformed event");
    }
  }
  for (ComputationRow& r : b.computations) r.is_allowed = allowed.count(r.output_handle) > 0;
  return b;
}

}  // namespace coproc
