// Port of twisted/internet/test/test_address.py (Twisted 22.4): the comparison, hash and repr
// tests of HostnameAddress, IPv4Address (TCP, UDP), IPv6Address, UNIXAddress and the empty
// UNIXAddress. Python's hash becomes hashKey() (a Map key); == becomes equals().
import { expect } from 'chai';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostnameAddress, IPv4Address, IPv6Address, UNIXAddress, InvalidAddressTypeError } from 'twistless/address';
import type { IAddress } from 'twistless/address';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'twistless-address-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const mktemp = (): string => join(dir, `f${counter++}`);

function addressTests(build: () => IAddress, buildDifferent: () => IAddress): void {
  it('test_addressComparison: two addresses built alike are equal', () => {
    expect(build().equals(build())).to.equal(true);
  });

  it('test_hash: an address finds its equal in a Map keyed by hashKey()', () => {
    const d = new Map([[build().hashKey(), true]]);
    expect(d.get(build().hashKey())).to.equal(true);
  });

  it('test_differentNamesComparison: different addresses are not equal, both ways', () => {
    expect(build().equals(buildDifferent())).to.equal(false);
    expect(buildDifferent().equals(build())).to.equal(false);
  });
}

describe('HostnameAddressTests', () => {
  addressTests(() => new HostnameAddress(Buffer.from('example.com'), 0), () => new HostnameAddress(Buffer.from('example.net'), 0));
  it("repr: HostnameAddress(hostname=b'example.com', port=0)", () => {
    expect(String(new HostnameAddress(Buffer.from('example.com'), 0))).to.equal("HostnameAddress(hostname=b'example.com', port=0)");
  });
});

describe('IPv4AddressTCPTests', () => {
  addressTests(() => new IPv4Address('TCP', '127.0.0.1', 0), () => new IPv4Address('TCP', '127.0.0.2', 0));
  it("repr: IPv4Address(type='TCP', host='127.0.0.1', port=80)", () => {
    expect(String(new IPv4Address('TCP', '127.0.0.1', 80))).to.equal("IPv4Address(type='TCP', host='127.0.0.1', port=80)");
  });
  it("a type other than 'TCP' or 'UDP' is refused as attrs refuses it", () => {
    expect(() => new IPv4Address('SCTP' as never, '1', 2)).to.throw(InvalidAddressTypeError, "'type' must be in ['TCP', 'UDP'] (got 'SCTP')");
  });
  it('an IPv4Address never equals an IPv6Address or one of another type', () => {
    expect(new IPv4Address('TCP', '1.2.3.4', 5).equals(new IPv6Address('TCP', '1.2.3.4', 5))).to.equal(false);
    expect(new IPv4Address('UDP', '1.2.3.4', 5).equals(new IPv4Address('TCP', '1.2.3.4', 5))).to.equal(false);
  });
});

describe('IPv4AddressUDPTests', () => {
  addressTests(() => new IPv4Address('UDP', '127.0.0.1', 0), () => new IPv4Address('UDP', '127.0.0.2', 0));
});

describe('IPv6AddressTests', () => {
  addressTests(() => new IPv6Address('TCP', '::1', 0), () => new IPv6Address('TCP', '::2', 0));
  it("repr: IPv6Address(type='TCP', host='::1', port=80, flowInfo=0, scopeID=0), and a named scope is quoted", () => {
    expect(String(new IPv6Address('TCP', '::1', 80))).to.equal("IPv6Address(type='TCP', host='::1', port=80, flowInfo=0, scopeID=0)");
    expect(String(new IPv6Address('TCP', '::1', 80, 0, 'eth0'))).to.equal("IPv6Address(type='TCP', host='::1', port=80, flowInfo=0, scopeID='eth0')");
  });
});

describe('UNIXAddressTests', () => {
  let socketAddress = '';
  let otherAddress = '';
  beforeEach(() => {
    socketAddress = mktemp();
    otherAddress = mktemp();
  });
  describe('(AddressTestCaseMixin)', () => {
    addressTests(() => new UNIXAddress(socketAddress), () => new UNIXAddress(otherAddress));
  });

  it("test_repr: UNIXAddress('<path>')", () => {
    expect(String(new UNIXAddress(socketAddress))).to.equal(`UNIXAddress('${socketAddress}')`);
    expect(String(new UNIXAddress(Buffer.from(socketAddress)))).to.equal(`UNIXAddress('${socketAddress}')`);
  });

  it('test_comparisonOfLinkedFiles: a symbolic link equals its target, both ways', () => {
    const linkName = mktemp();
    writeFileSync(socketAddress, '');
    symlinkSync(socketAddress, linkName);
    expect(new UNIXAddress(socketAddress).equals(new UNIXAddress(linkName))).to.equal(true);
    expect(new UNIXAddress(linkName).equals(new UNIXAddress(socketAddress))).to.equal(true);
  });

  it('test_hashOfLinkedFiles: a symbolic link and its target have the same hashKey', () => {
    const linkName = mktemp();
    writeFileSync(socketAddress, '');
    symlinkSync(socketAddress, linkName);
    expect(new UNIXAddress(socketAddress).hashKey()).to.equal(new UNIXAddress(linkName).hashKey());
  });
});

describe('EmptyUNIXAddressTests', () => {
  let socketAddress = '';
  beforeEach(() => {
    socketAddress = mktemp();
  });
  describe('(AddressTestCaseMixin)', () => {
    addressTests(() => new UNIXAddress(null), () => new UNIXAddress(socketAddress));
  });

  it('test_comparisonOfLinkedFiles: an unnamed address never equals a named one', () => {
    const linkName = mktemp();
    writeFileSync(socketAddress, '');
    symlinkSync(socketAddress, linkName);
    expect(new UNIXAddress(socketAddress).equals(new UNIXAddress(null))).to.equal(false);
    expect(new UNIXAddress(null).equals(new UNIXAddress(socketAddress))).to.equal(false);
  });

  it('test_emptyHash: two unnamed addresses share a hashKey', () => {
    const d = new Map([[new UNIXAddress(null).hashKey(), true]]);
    expect(d.get(new UNIXAddress(null).hashKey())).to.equal(true);
    expect(String(new UNIXAddress(null))).to.equal('UNIXAddress(None)');
  });
});
