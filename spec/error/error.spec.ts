// Port of twisted/test/test_error.py (Twisted 22.4): StringificationTests, SubclassingTests,
// GetConnectErrorTests; the no-argument texts of every class checked against Twisted.
import { expect } from 'chai';
import { constants } from 'node:os';
import * as error from 'twistless/error';
import * as root from 'twistless';
import { TimeoutError as DeferTimeoutError } from 'twistless/defer';
import { IPv4Address } from 'twistless/address';
import { Failure } from 'twistless/failure';

type Ctor = new (...args: never[]) => Error;

describe('StringificationTests', () => {
  const listOfTests: Array<[string, Ctor, unknown[]?]> = [
    ['An error occurred binding to an interface.', error.BindError],
    ['An error occurred binding to an interface: foo.', error.BindError, ['foo']],
    ['An error occurred binding to an interface: foo bar.', error.BindError, ['foo', 'bar']],
    ["Couldn't listen on eth0:4242: Foo.", error.CannotListenError, ['eth0', 4242, 'Foo']],
    ['Message is too long to send.', error.MessageLengthError],
    ['Message is too long to send: foo bar.', error.MessageLengthError, ['foo', 'bar']],
    ['DNS lookup failed.', error.DNSLookupError],
    ['DNS lookup failed: foo bar.', error.DNSLookupError, ['foo', 'bar']],
    ['An error occurred while connecting.', error.ConnectError],
    ['An error occurred while connecting: someOsError.', error.ConnectError, ['someOsError']],
    ['An error occurred while connecting: foo.', error.ConnectError, [undefined, 'foo']],
    ['An error occurred while connecting: someOsError: foo.', error.ConnectError, ['someOsError', 'foo']],
    ["Couldn't bind.", error.ConnectBindError],
    ["Couldn't bind: someOsError.", error.ConnectBindError, ['someOsError']],
    ["Couldn't bind: someOsError: foo.", error.ConnectBindError, ['someOsError', 'foo']],
    ["Hostname couldn't be looked up.", error.UnknownHostError],
    ['No route to host.', error.NoRouteError],
    ['Connection was refused by other side.', error.ConnectionRefusedError],
    ['TCP connection timed out.', error.TCPTimedOutError],
    ['File used for UNIX socket is no good.', error.BadFileError],
    ['Service name given as port is unknown.', error.ServiceNameUnknownError],
    ['User aborted connection.', error.UserError],
    ['User timeout caused connection failure.', error.TimeoutError],
    ['An SSL error occurred.', error.SSLError],
    ['Connection to the other side was lost in a non-clean fashion.', error.ConnectionLost],
    ['Connection to the other side was lost in a non-clean fashion: foo bar.', error.ConnectionLost, ['foo', 'bar']],
    ['Connection was closed cleanly.', error.ConnectionDone],
    ['Connection was closed cleanly: foo bar.', error.ConnectionDone, ['foo', 'bar']],
    ['Uh.', error.ConnectionFdescWentAway],
    ['Tried to cancel an already-called event.', error.AlreadyCalled],
    ['Tried to cancel an already-called event: foo bar.', error.AlreadyCalled, ['foo', 'bar']],
    ['Tried to cancel an already-cancelled event.', error.AlreadyCancelled],
    ['Tried to cancel an already-cancelled event: x 2.', error.AlreadyCancelled, ['x', '2']],
    ['A process has ended without apparent errors: process finished with exit code 0.', error.ProcessDone, [null]],
    ['A process has ended with a probable error condition: process ended.', error.ProcessTerminated],
    ['A process has ended with a probable error condition: process ended with exit code 42.', error.ProcessTerminated, [42]],
    ['A process has ended with a probable error condition: process ended by signal SIGBUS.', error.ProcessTerminated, [null, 'SIGBUS']],
    ['The Connector was not connecting when it was asked to stop connecting.', error.NotConnectingError],
    ['The Connector was not connecting when it was asked to stop connecting: x 13.', error.NotConnectingError, ['x', '13']],
    ['The Port was not listening when it was asked to stop listening.', error.NotListeningError],
    ['The Port was not listening when it was asked to stop listening: a 12.', error.NotListeningError, ['a', '12']],
  ];

  it("testThemAll: every error's message is Python's str() of the same error", () => {
    for (const [output, Cls, args] of listOfTests) {
      const e = new (Cls as unknown as new (...a: unknown[]) => Error)(...(args ?? []));
      expect(e.message, Cls.name).to.equal(output);
      expect(new Failure(e).getErrorMessage()).to.equal(output);
    }
  });

  it('test_connectingCancelledError: ConnectingCancelledError keeps the address it was given', () => {
    const address = new IPv4Address('TCP', '1.2.3.4', 5);
    const e = new error.ConnectingCancelledError(address);
    expect(e.address).to.equal(address);
    expect(e.message).to.equal("IPv4Address(type='TCP', host='1.2.3.4', port=5)");
  });

  it('the classes with no MESSAGE have an empty message, and each has its Twisted name', () => {
    for (const Cls of [
      error.ConnectionClosed,
      error.MulticastJoinError,
      error.ConnectInProgressError,
      error.VerifyError,
      error.PeerVerifyError,
      error.CertificateError,
      error.ProcessExitedAlready,
      error.NoProtocol,
      error.UnsupportedAddressFamily,
      error.UnsupportedSocketType,
      error.AlreadyListened,
    ]) {
      const e = new Cls();
      expect(e.message, Cls.name).to.equal('');
      expect(e.name).to.equal(Cls.name);
    }
    expect(new error.ConnectionAborted().message).to.equal('Connection was aborted locally using ITCPTransport.abortConnection.');
    expect(new error.FileDescriptorOverrun().message).to.equal('A mis-use of IUNIXTransport.sendFileDescriptor caused the connection to be closed..');
    expect(new error.ConnectionClosed('x', 'y').message).to.equal("('x', 'y')");
  });

  it("CannotListenError reads 'any' for an empty interface and keeps its fields", () => {
    const socketError = new error.SocketError(98, 'Address already in use', 'EADDRINUSE');
    const e = new error.CannotListenError('', 80, socketError);
    expect(e.message).to.equal("Couldn't listen on any:80: [Errno 98] Address already in use.");
    expect([e.interface, e.port, e.socketError]).to.deep.equal(['', 80, socketError]);
    expect(e).to.be.instanceOf(error.BindError);
  });

  it('InvalidAddressError keeps address and detail; its message is the args tuple', () => {
    const e = new error.InvalidAddressError('localhost', 'write() only accepts IP addresses, not hostnames');
    expect(e.message).to.equal("('localhost', 'write() only accepts IP addresses, not hostnames')");
    expect([e.address, e.detail]).to.deep.equal(['localhost', 'write() only accepts IP addresses, not hostnames']);
  });

  it('CONNECTION_DONE and CONNECTION_LOST carry the reactor texts', () => {
    expect(error.CONNECTION_DONE.message).to.equal('Connection was closed cleanly: Connection done.');
    expect(error.CONNECTION_LOST.message).to.equal('Connection to the other side was lost in a non-clean fashion: Connection lost.');
  });

  it("the root exports defer's TimeoutError; twistless/error has the connect timeout", () => {
    expect(root.TimeoutError).to.equal(DeferTimeoutError);
    expect(error.TimeoutError).to.not.equal(DeferTimeoutError);
    expect(root.ConnectionDone).to.equal(error.ConnectionDone);
  });
});

describe('SubclassingTests', () => {
  it('test_connectionLostSubclassOfConnectionClosed: ConnectionLost is a ConnectionClosed', () => {
    expect(new error.ConnectionLost()).to.be.instanceOf(error.ConnectionClosed);
  });

  it('test_connectionDoneSubclassOfConnectionClosed: ConnectionDone is a ConnectionClosed', () => {
    expect(new error.ConnectionDone()).to.be.instanceOf(error.ConnectionClosed);
  });

  it('test_invalidAddressErrorSubclassOfValueError: InvalidAddressError is a RangeError (Python ValueError)', () => {
    expect(new error.InvalidAddressError('a', 'b')).to.be.instanceOf(RangeError);
  });

  it("the hierarchy is Twisted's: TimeoutError < UserError < ConnectError, ConnectionAborted < ConnectionLost", () => {
    expect(new error.TimeoutError()).to.be.instanceOf(error.UserError).and.instanceOf(error.ConnectError);
    expect(new error.ConnectionAborted()).to.be.instanceOf(error.ConnectionLost);
    expect(new error.ProcessDone(0)).to.be.instanceOf(error.ConnectionDone);
    expect(new error.ProcessTerminated(1)).to.be.instanceOf(error.ConnectionLost);
    expect(new error.PeerVerifyError()).to.be.instanceOf(error.VerifyError);
  });
});

describe('GetConnectErrorTests', () => {
  function assertCorrectException(errno: unknown, message: unknown, result: error.ConnectError, expectedClass: Ctor): void {
    expect(result.constructor).to.equal(expectedClass);
    expect(result.osError).to.equal(errno);
    expect(result.args).to.deep.equal([message]);
  }

  it('test_errno: ENETUNREACH, ECONNREFUSED and ETIMEDOUT map to their classes', () => {
    const cases: Array<[number, Ctor]> = [
      [constants.errno.ENETUNREACH, error.NoRouteError],
      [constants.errno.ECONNREFUSED, error.ConnectionRefusedError],
      [constants.errno.ETIMEDOUT, error.TCPTimedOutError],
    ];
    for (const [errno, cls] of cases) assertCorrectException(errno, 'lalala', error.getConnectError([errno, 'lalala']), cls);
  });

  it('test_gaierror: a failed name lookup gives UnknownHostError', () => {
    const result = error.getConnectError({ code: 'ENOTFOUND', syscall: 'getaddrinfo', errno: -3008 });
    assertCorrectException(-2, 'Name or service not known', result, error.UnknownHostError);
  });

  it('test_nonTuple: anything else gives a ConnectError holding it', () => {
    const e = new Error();
    assertCorrectException(undefined, e, error.getConnectError(e), error.ConnectError);
  });
});
