#!/usr/bin/env python3
"""An upstream producer of LMS commands in Python, with confluent-kafka (librdkafka) and Debian's
python3-avro: the examples of the README's "For upstream producers", run for real, each command's
outcome read back from lms.command-results.

    lms_producer.py json                  JSON command envelopes (no Avro tooling needed)
    lms_producer.py avro                  Avro single-object encoding, with Avro's own Python library
    lms_producer.py crc32                 JSON with librdkafka's default partitioner: LMS moves it
    lms_producer.py await COMMAND_ID...   wait for the results of commands sent otherwise (kcat)

Options: --bootstrap (127.0.0.1:9092), --prefix (lms.), --org (demo), --actor (1). Exit code 0 when
every command was accepted, 1 otherwise. Debian: apt-get install python3-confluent-kafka python3-avro
(run it with /usr/bin/python3 if another python3 comes first on the PATH).
"""
import argparse
import io
import json
import os
import struct
import sys
import time
import uuid

import avro.io
import avro.name
import avro.schema
from confluent_kafka import Consumer, Producer

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas", "src", "main", "avro")


# ---- Avro single-object encoding: C3 01, the schema's CRC-64-AVRO fingerprint (little-endian), the record

def _crc64_table():
    empty = 0xC15D213AA4D7A795
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (empty & -(fp & 1))
        table.append(fp)
    return empty, table


_EMPTY, _TABLE = _crc64_table()


def fingerprint(schema):
    """The 64-bit Rabin fingerprint of the schema's parsing canonical form, as Java's
    SchemaNormalization.parsingFingerprint64 computes it."""
    # python3-avro 1.11 writes a logical type's primitive as {"type":"long"} in the canonical form,
    # where the specification (and Java) write "long": normalise, or no fingerprint matches Java's.
    canonical = schema.canonical_form
    for primitive in ("int", "long", "bytes", "string"):
        canonical = canonical.replace('{"type":"%s"}' % primitive, '"%s"' % primitive)
    fp = _EMPTY
    for byte in canonical.encode("utf-8"):
        fp = (fp >> 8) ^ _TABLE[(fp ^ byte) & 0xFF]
    return fp


def load_schemas():
    """LeadCommand and CommandResult, with the named types they share, from schemas/."""
    names = avro.name.Names()
    parsed = {}
    for name in ("LeadState", "Reason", "SubStatus", "LeadCommand", "CommandResult"):
        with open(os.path.join(SCHEMAS, name + ".avsc"), encoding="utf-8") as f:
            parsed[name] = avro.schema.make_avsc_object(json.load(f), names)
    return parsed["LeadCommand"], parsed["CommandResult"]


LEAD_COMMAND, COMMAND_RESULT = load_schemas()
PAYLOAD_BRANCHES = [branch.name for branch in LEAD_COMMAND.fields_dict["payload"].type.schemas]


def encode_command(command_id, org, actor_id, issued_at_millis, kind, payload):
    """A LeadCommand in single-object encoding. python3-avro picks the last union branch a dict fits
    (and most payloads fit several), so the branch index is written here, then the branch itself;
    it also fills in no defaults, so every field of the branch must be given."""
    out = io.BytesIO()
    out.write(b"\xc3\x01" + struct.pack("<Q", fingerprint(LEAD_COMMAND)))
    encoder = avro.io.BinaryEncoder(out)
    encoder.write_utf8(command_id)
    encoder.write_utf8(org)
    encoder.write_long(actor_id)
    encoder.write_long(issued_at_millis)  # timestamp-millis
    branch = PAYLOAD_BRANCHES.index(kind)
    encoder.write_long(branch)
    avro.io.DatumWriter(LEAD_COMMAND.fields_dict["payload"].type.schemas[branch]).write(payload, encoder)
    return out.getvalue()


def decode_result(value):
    """A CommandResult from its single-object encoding, checked against our fingerprint."""
    if value[:2] != b"\xc3\x01" or struct.unpack("<Q", value[2:10])[0] != fingerprint(COMMAND_RESULT):
        raise ValueError("not a CommandResult of schemas/CommandResult.avsc")
    return avro.io.DatumReader(COMMAND_RESULT).read(avro.io.BinaryDecoder(io.BytesIO(value[10:])))


def create_lead(identifier):
    """Every field of CreateLead: python3-avro fills in no defaults."""
    return {"type": "SKU", "leadFor": "item001", "userId": None, "idType": "EMAIL", "identifier": identifier,
            "status": None, "subStatus": None, "nextFollowUp": "2026-12-01T10:00:00+05:30", "lastFollowUp": None,
            "createdOn": None, "createdBy": None, "owner": None, "orgSourceId": None,
            "extendedFields": {"source": "python-avro"}, "followUpDetails": [], "statusLogDetails": []}


# ---- Kafka

def producer(args, partitioner="murmur2_random"):
    # murmur2_random is Kafka's Java partitioner: each org's commands land on the org's own partition.
    # librdkafka's default, consistent_random (CRC32), sends them elsewhere, and LMS has to move them.
    return Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": True, "partitioner": partitioner})


def send(prod, topic, org, value):
    delivered = {}

    def report(err, msg):
        delivered["err"], delivered["partition"] = err, (msg.partition() if err is None else None)

    prod.produce(topic, key=org, value=value, on_delivery=report)
    prod.flush(30)
    if delivered.get("err") is not None:
        raise RuntimeError("not delivered: %s" % delivered["err"])
    return delivered["partition"]


def await_results(args, command_ids, timeout=60):
    """The results of these commands (by commandId), read from lms.command-results, read_committed."""
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "lms-producer-example-" + uuid.uuid4().hex,
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed",
                         "enable.auto.commit": False})
    consumer.subscribe([args.prefix + "command-results"])
    wanted, found = set(command_ids), {}
    deadline = time.time() + timeout
    try:
        while wanted - found.keys() and time.time() < deadline:
            msg = consumer.poll(0.5)
            if msg is None or msg.error() or msg.key() != args.org.encode():
                continue
            result = decode_result(msg.value())
            if result["commandId"] in wanted:
                found[result["commandId"]] = result
    finally:
        consumer.close()
    return found


def report(found, command_ids):
    ok = True
    for command_id in command_ids:
        result = found.get(command_id)
        if result is None:
            print("  %s: no result" % command_id)
            ok = False
        elif "errors" in result["outcome"]:
            print("  %s: rejected %s" % (command_id, [(e["code"], e["message"]) for e in result["outcome"]["errors"]]))
            ok = False
        else:
            lead, reasons = result["outcome"].get("lead"), result["outcome"].get("reasons")
            print("  %s: accepted%s%s" % (command_id, " lead %d (%s)" % (lead["id"], lead["status"]) if lead else "",
                                          " reasons %s" % [(r["id"], r["reason"]) for r in reasons] if reasons else ""))
    return ok


def lead_id(found, command_id):
    return found[command_id]["outcome"]["lead"]["id"]


# ---- the examples

def json_example(args, partitioner="murmur2_random"):
    run = uuid.uuid4().hex[:8]
    topic = args.prefix + "lead-commands"
    prod = producer(args, partitioner)
    create = {"commandId": "py-json-%s-1" % run, "org": args.org, "actorId": args.actor, "kind": "CreateLead",
              "body": {"type": "SKU", "leadFor": "item001", "idType": "EMAIL", "identifier": "py-%s@example.com" % run}}
    partition = send(prod, topic, args.org, json.dumps(create).encode())
    print("JSON CreateLead (partitioner=%s) delivered to partition %d" % (partitioner, partition))
    found = await_results(args, [create["commandId"]])
    if not report(found, [create["commandId"]]):
        return False
    hold = {"commandId": "py-json-%s-2" % run, "org": args.org, "actorId": args.actor, "kind": "UpdateLead",
            "leadId": lead_id(found, create["commandId"]), "body": {"owner": "python", "extendedFields": {"via": "json"}}}
    partition = send(prod, topic, args.org, json.dumps(hold).encode())
    print("JSON UpdateLead delivered to partition %d" % partition)
    return report(await_results(args, [hold["commandId"]]), [hold["commandId"]])


def avro_example(args):
    run = uuid.uuid4().hex[:8]
    topic = args.prefix + "lead-commands"
    prod = producer(args)
    now = int(time.time() * 1000)
    create_id = "py-avro-%s-1" % run
    send(prod, topic, args.org, encode_command(create_id, args.org, args.actor, now, "CreateLead",
                                               create_lead("py-avro-%s@example.com" % run)))
    print("Avro CreateLead sent (fingerprint %016x)" % fingerprint(LEAD_COMMAND))
    found = await_results(args, [create_id])
    if not report(found, [create_id]):
        return False
    reasons_id = "py-avro-%s-2" % run
    send(prod, topic, args.org, encode_command(reasons_id, args.org, args.actor, now + 1, "ConfigureReasons",
                                               {"reasons": ["Bought elsewhere"]}))
    print("Avro ConfigureReasons sent")
    reasons = await_results(args, [reasons_id])
    if not report(reasons, [reasons_id]):
        return False
    reason_id = reasons[reasons_id]["outcome"]["reasons"][-1]["id"]
    status_id = "py-avro-%s-3" % run
    send(prod, topic, args.org, encode_command(status_id, args.org, args.actor, now + 2, "ChangeStatus", {
        "leadId": lead_id(found, create_id), "status": "LOST", "subStatus": None, "reasonId": reason_id,
        "createdBy": None, "createdOn": None}))
    print("Avro ChangeStatus sent")
    return report(await_results(args, [status_id]), [status_id])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--prefix", default="lms.")
    parser.add_argument("--org", default="demo")
    parser.add_argument("--actor", type=int, default=1)
    parser.add_argument("example", choices=["json", "avro", "crc32", "await"])
    parser.add_argument("command_ids", nargs="*")
    args = parser.parse_args()
    if args.example == "json":
        ok = json_example(args)
    elif args.example == "avro":
        ok = avro_example(args)
    elif args.example == "crc32":
        ok = json_example(args, partitioner="consistent_random")
    else:
        ok = report(await_results(args, args.command_ids), args.command_ids)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
