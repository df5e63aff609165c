// The mapping from Node's system errors to twisted.internet.error, with Python's errno texts
// (checked against Python 3's os.strerror and Twisted 22.4's reactor messages).
import { expect } from 'chai';
import * as error from 'twistless/error';

describe('Node system errors as Twisted errors', () => {
  it('errnoOf gives the Linux number and the glibc text Python shows', () => {
    expect(error.errnoOf({ code: 'EADDRINUSE', errno: -98 })).to.deep.equal({ errno: 98, strerror: 'Address already in use' });
    expect(error.errnoOf({ code: 'ECONNREFUSED' })).to.deep.equal({ errno: 111, strerror: 'Connection refused' });
    expect(error.errnoOf({ code: 'ENOENT' })).to.deep.equal({ errno: 2, strerror: 'No such file or directory' });
    expect(error.errnoOf({ code: 'EAI_AGAIN' })).to.deep.equal({ errno: -3, strerror: 'Temporary failure in name resolution' });
  });

  it('an unknown code falls back to libuv text, capitalized', () => {
    expect(error.errnoOf({ code: 'ENOSYS', errno: -38 })).to.deep.equal({ errno: 38, strerror: 'Function not implemented' });
  });

  it("connectErrorFromNode: refused, timed out, unreachable, bind failure, lookup failure read as Twisted's reactor reports them", () => {
    const refused = error.connectErrorFromNode({ code: 'ECONNREFUSED', syscall: 'connect', errno: -111 });
    expect(refused).to.be.instanceOf(error.ConnectionRefusedError);
    expect(refused.message).to.equal('Connection was refused by other side: 111: Connection refused.');
    expect(error.connectErrorFromNode({ code: 'ETIMEDOUT', syscall: 'connect' })).to.be.instanceOf(error.TCPTimedOutError);
    expect(error.connectErrorFromNode({ code: 'ENETUNREACH', syscall: 'connect' })).to.be.instanceOf(error.NoRouteError);
    expect(error.connectErrorFromNode({ code: 'EHOSTUNREACH', syscall: 'connect' })).to.be.instanceOf(error.NoRouteError);
    const bind = error.connectErrorFromNode({ code: 'EADDRINUSE', syscall: 'bind' });
    expect(bind).to.be.instanceOf(error.ConnectBindError);
    expect(bind.message).to.equal("Couldn't bind: 98: Address already in use.");
    const dns = error.connectErrorFromNode({ code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'no-such-host.invalid' });
    expect(dns).to.be.instanceOf(error.DNSLookupError);
    expect(dns.message).to.equal('DNS lookup failed: no-such-host.invalid.');
    const unix = error.connectErrorFromNode({ code: 'ENOENT', syscall: 'connect' });
    expect(unix.constructor).to.equal(error.ConnectError);
    expect(unix.message).to.equal('An error occurred while connecting: 2: No such file or directory.');
  });

  it('connectionLostFromNode: a clean end is CONNECTION_DONE, any system error CONNECTION_LOST', () => {
    expect(error.connectionLostFromNode()).to.equal(error.CONNECTION_DONE);
    expect(error.connectionLostFromNode(null)).to.equal(error.CONNECTION_DONE);
    expect(error.connectionLostFromNode({ code: 'ECONNRESET' })).to.equal(error.CONNECTION_LOST);
    expect(error.connectionLostFromNode({ code: 'EPIPE' })).to.equal(error.CONNECTION_LOST);
  });

  it('cannotListenErrorFromNode: the socketError reads as Python\'s OSError', () => {
    const e = error.cannotListenErrorFromNode('127.0.0.1', 38421, { code: 'EADDRINUSE', errno: -98, syscall: 'listen' });
    expect(e.message).to.equal("Couldn't listen on 127.0.0.1:38421: [Errno 98] Address already in use.");
    expect((e.socketError as error.SocketError).errno).to.equal(98);
    expect((e.socketError as error.SocketError).code).to.equal('EADDRINUSE');
    expect(error.socketErrorFromNode({ code: 'EACCES' }).message).to.equal('[Errno 13] Permission denied');
  });
});
