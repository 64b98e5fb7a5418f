// Built by clients/js/scripts/bundle.mjs from clients/js/src (esbuild). Do not edit: run `npm run bundle` in clients/js.
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// node_modules/unicount/index.js
var require_unicount = __commonJS({
  "node_modules/unicount/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.uniToStrPos = exports.strPosToUni = void 0;
    exports.strPosToUni = (s, strOffset = s.length) => {
      let pairs = 0;
      let i = 0;
      for (; i < strOffset; i++) {
        const code = s.charCodeAt(i);
        if (code >= 55296 && code <= 57343) {
          pairs++;
          i++;
        }
      }
      if (i !== strOffset)
        throw Error("Invalid offset - splits unicode bytes");
      return i - pairs;
    };
    exports.uniToStrPos = (s, uniOffset) => {
      let pos = 0;
      for (; uniOffset > 0; uniOffset--) {
        const code = s.charCodeAt(pos);
        pos += code >= 55296 && code <= 57343 ? 2 : 1;
      }
      return pos;
    };
  }
});

// node_modules/ot-text-unicode/dist/type.js
var require_type = __commonJS({
  "node_modules/ot-text-unicode/dist/type.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.uniSlice = exports.dlen = exports.eachOp = void 0;
    var unicount_1 = require_unicount();
    var debugMode = false;
    var checkOp = (op) => {
      if (!Array.isArray(op))
        throw Error("Op must be an array of components");
      let last = null;
      for (let i = 0; i < op.length; i++) {
        const c = op[i];
        switch (typeof c) {
          case "object":
            if (typeof c.d !== "number" && typeof c.d !== "string")
              throw Error("Delete must be number or string");
            if (exports.dlen(c.d) <= 0)
              throw Error("Deletes must not be empty");
            break;
          case "string":
            if (!(c.length > 0))
              throw Error("Inserts cannot be empty");
            break;
          case "number":
            if (!(c > 0))
              throw Error("Skip components must be >0");
            if (typeof last === "number")
              throw Error("Adjacent skip components should be combined");
            break;
        }
        last = c;
      }
      if (typeof last === "number")
        throw Error("Op has a trailing skip");
    };
    function eachOp(op, fn) {
      let prePos = 0, postPos = 0;
      for (let i = 0; i < op.length; i++) {
        const c = op[i];
        fn(c, prePos, postPos);
        switch (typeof c) {
          case "object":
            prePos += exports.dlen(c.d);
            break;
          case "string":
            postPos += unicount_1.strPosToUni(c);
            break;
          case "number":
            prePos += c;
            postPos += c;
            break;
        }
      }
    }
    exports.eachOp = eachOp;
    function mapOp(op, fn) {
      const newOp = [];
      const append = makeAppend(newOp);
      eachOp(op, (c, prePos, postPos) => {
        append(fn(c, prePos, postPos));
      });
      return trim(newOp);
    }
    var id = (x) => x;
    var normalize2 = (op) => {
      return mapOp(op, id);
    };
    exports.dlen = (d) => typeof d === "number" ? d : unicount_1.strPosToUni(d);
    var makeAppend = (op) => (component) => {
      if (!component || component.d === 0 || component.d === "") {
      } else if (op.length === 0) {
        op.push(component);
      } else if (typeof component === typeof op[op.length - 1]) {
        if (typeof component === "object") {
          const last = op[op.length - 1];
          last.d = typeof last.d === "string" && typeof component.d === "string" ? last.d + component.d : exports.dlen(last.d) + exports.dlen(component.d);
        } else {
          op[op.length - 1] += component;
        }
      } else {
        op.push(component);
      }
    };
    var componentLength = (c) => typeof c === "number" ? c : typeof c === "string" ? unicount_1.strPosToUni(c) : typeof c.d === "number" ? c.d : unicount_1.strPosToUni(c.d);
    exports.uniSlice = (s, startUni, endUni) => {
      const start = unicount_1.uniToStrPos(s, startUni);
      const end = endUni == null ? Infinity : unicount_1.uniToStrPos(s, endUni);
      return s.slice(start, end);
    };
    var dslice = (d, start, end) => typeof d === "number" ? end == null ? d - start : Math.min(d, end) - start : exports.uniSlice(d, start, end);
    var makeTake = (op) => {
      let idx = 0;
      let offset = 0;
      const take = (n, indivisableField) => {
        if (idx === op.length)
          return n === -1 ? null : n;
        const c = op[idx];
        let part;
        if (typeof c === "number") {
          if (n === -1 || c - offset <= n) {
            part = c - offset;
            ++idx;
            offset = 0;
            return part;
          } else {
            offset += n;
            return n;
          }
        } else if (typeof c === "string") {
          if (n === -1 || indivisableField === "i" || unicount_1.strPosToUni(c.slice(offset)) <= n) {
            part = c.slice(offset);
            ++idx;
            offset = 0;
            return part;
          } else {
            const offset2 = offset + unicount_1.uniToStrPos(c.slice(offset), n);
            part = c.slice(offset, offset2);
            offset = offset2;
            return part;
          }
        } else {
          if (n === -1 || indivisableField === "d" || exports.dlen(c.d) - offset <= n) {
            part = { d: dslice(c.d, offset) };
            ++idx;
            offset = 0;
            return part;
          } else {
            let result = dslice(c.d, offset, offset + n);
            offset += n;
            return { d: result };
          }
        }
      };
      const peek = () => op[idx];
      return { take, peek };
    };
    var trim = (op) => {
      if (op.length > 0 && typeof op[op.length - 1] === "number") {
        op.pop();
      }
      return op;
    };
    function transform2(op1, op2, side) {
      if (side !== "left" && side !== "right") {
        throw Error("side (" + side + ") must be 'left' or 'right'");
      }
      checkOp(op1);
      checkOp(op2);
      const newOp = [];
      const append = makeAppend(newOp);
      const { take, peek } = makeTake(op1);
      for (let i = 0; i < op2.length; i++) {
        const c2 = op2[i];
        let length, c1;
        switch (typeof c2) {
          case "number":
            length = c2;
            while (length > 0) {
              c1 = take(length, "i");
              append(c1);
              if (typeof c1 !== "string") {
                length -= componentLength(c1);
              }
            }
            break;
          case "string":
            if (side === "left") {
              if (typeof peek() === "string") {
                append(take(-1));
              }
            }
            append(unicount_1.strPosToUni(c2));
            break;
          case "object":
            length = exports.dlen(c2.d);
            while (length > 0) {
              c1 = take(length, "i");
              switch (typeof c1) {
                case "number":
                  length -= c1;
                  break;
                case "string":
                  append(c1);
                  break;
                case "object":
                  length -= exports.dlen(c1.d);
              }
            }
            break;
        }
      }
      let c;
      while (c = take(-1))
        append(c);
      if (debugMode && isInvertible(op1) && isInvertible(op2) && !isInvertible(newOp)) {
        throw Error("Internal error - composed operation should also be invertible");
      }
      return trim(newOp);
    }
    function compose2(op1, op2) {
      checkOp(op1);
      checkOp(op2);
      const result = [];
      const append = makeAppend(result);
      const { take } = makeTake(op1);
      for (let i = 0; i < op2.length; i++) {
        const component = op2[i];
        let length, chunk;
        switch (typeof component) {
          case "number":
            length = component;
            while (length > 0) {
              chunk = take(length, "d");
              append(chunk);
              if (typeof chunk !== "object") {
                length -= componentLength(chunk);
              }
            }
            break;
          case "string":
            append(component);
            break;
          case "object":
            length = exports.dlen(component.d);
            let offset = 0;
            while (offset < length) {
              chunk = take(length - offset, "d");
              switch (typeof chunk) {
                case "number":
                  append({ d: dslice(component.d, offset, offset + chunk) });
                  offset += chunk;
                  break;
                case "string":
                  offset += unicount_1.strPosToUni(chunk);
                  break;
                case "object":
                  append(chunk);
              }
            }
            break;
        }
      }
      let c;
      while (c = take(-1))
        append(c);
      if (debugMode && isInvertible(op1) && isInvertible(op2) && !isInvertible(result)) {
        throw Error("Internal error - composed operation should also be invertible");
      }
      return trim(result);
    }
    var transformPosition2 = (cursor, op) => {
      let pos = 0;
      for (let i = 0; i < op.length && cursor > pos; i++) {
        const c = op[i];
        switch (typeof c) {
          case "number": {
            pos += c;
            break;
          }
          case "string":
            const offset = unicount_1.strPosToUni(c);
            pos += offset;
            cursor += offset;
            break;
          case "object":
            cursor -= Math.min(exports.dlen(c.d), cursor - pos);
            break;
        }
      }
      return cursor;
    };
    var transformSelection = (selection, op) => typeof selection === "number" ? transformPosition2(selection, op) : selection.map((s) => transformPosition2(s, op));
    function makeInvertible(op, doc, ropeImpl) {
      return mapOp(op, (c, prePos) => typeof c === "object" && typeof c.d === "number" ? { d: ropeImpl.slice(doc, prePos, prePos + c.d) } : c);
    }
    function invert(op) {
      return mapOp(op, (c) => {
        switch (typeof c) {
          case "object":
            if (typeof c.d === "number") {
              throw Error("Cannot invert text op: Deleted characters missing from operation. makeInvertible must be called first.");
            } else
              return c.d;
          // delete -> insert
          case "string":
            return { d: c };
          // Insert -> delete
          case "number":
            return c;
        }
      });
    }
    function stripInvertible(op) {
      return mapOp(op, (c) => typeof c === "object" && typeof c.d === "string" ? { d: unicount_1.strPosToUni(c.d) } : c);
    }
    function isInvertible(op) {
      let invertible = true;
      eachOp(op, (c) => {
        if (typeof c === "object" && typeof c.d === "number")
          invertible = false;
      });
      return invertible;
    }
    function makeType(ropeImpl) {
      return {
        name: "text-unicode",
        uri: "http://sharejs.org/types/text-unicode",
        trim,
        normalize: normalize2,
        checkOp,
        /** Create a new text snapshot.
         *
         * @param {string} initial - initial snapshot data. Optional. Defaults to ''.
         * @returns {Snap} Initial document snapshot object
         */
        create(initial = "") {
          if (typeof initial !== "string") {
            throw Error("Initial data must be a string");
          }
          return ropeImpl.create(initial);
        },
        /** Apply an operation to a document snapshot
         */
        apply(str, op) {
          checkOp(op);
          const builder = ropeImpl.builder(str);
          for (let i = 0; i < op.length; i++) {
            const component = op[i];
            switch (typeof component) {
              case "number":
                builder.skip(component);
                break;
              case "string":
                builder.append(component);
                break;
              case "object":
                builder.del(exports.dlen(component.d));
                break;
            }
          }
          return builder.build();
        },
        transform: transform2,
        compose: compose2,
        transformPosition: transformPosition2,
        transformSelection,
        isInvertible,
        makeInvertible(op, doc) {
          return makeInvertible(op, doc, ropeImpl);
        },
        stripInvertible,
        invert,
        invertWithDoc(op, doc) {
          return invert(makeInvertible(op, doc, ropeImpl));
        },
        isNoop: (op) => op.length === 0
      };
    }
    exports.default = makeType;
  }
});

// node_modules/ot-text-unicode/dist/api.js
var require_api = __commonJS({
  "node_modules/ot-text-unicode/dist/api.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var type_1 = require_type();
    var unicount_1 = require_unicount();
    function api(getSnapshot, submitOp) {
      return {
        // Returns the text content of the document
        get: getSnapshot,
        // Returns the number of characters in the string
        getLength() {
          return getSnapshot().length;
        },
        // Insert the specified text at the given position in the document
        insert(pos, text, callback) {
          const uniPos = unicount_1.strPosToUni(getSnapshot(), pos);
          return submitOp([uniPos, text], callback);
        },
        remove(pos, lengthOrContent, callback) {
          const uniPos = unicount_1.strPosToUni(getSnapshot(), pos);
          return submitOp([uniPos, { d: lengthOrContent }], callback);
        },
        // When you use this API, you should implement these two methods
        // in your editing context.
        //onInsert: function(pos, text) {},
        //onRemove: function(pos, removedLength) {},
        _onOp(op) {
          type_1.eachOp(op, (component, prePos, postPos) => {
            switch (typeof component) {
              case "string":
                if (this.onInsert)
                  this.onInsert(postPos, component);
                break;
              case "object":
                const dl = type_1.dlen(component.d);
                if (this.onRemove)
                  this.onRemove(postPos, dl);
            }
          });
        },
        onInsert: null,
        onRemove: null
      };
    }
    exports.default = api;
    api.provides = { text: true };
  }
});

// node_modules/ot-text-unicode/dist/index.js
var require_dist = __commonJS({
  "node_modules/ot-text-unicode/dist/index.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      Object.defineProperty(o, k2, { enumerable: true, get: function() {
        return m[k];
      } });
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports && exports.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar = exports && exports.__importStar || function(mod) {
      if (mod && mod.__esModule) return mod;
      var result = {};
      if (mod != null) {
        for (var k in mod) if (Object.hasOwnProperty.call(mod, k)) __createBinding(result, mod, k);
      }
      __setModuleDefault(result, mod);
      return result;
    };
    var __importDefault = exports && exports.__importDefault || function(mod) {
      return mod && mod.__esModule ? mod : { "default": mod };
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.type = exports.remove = exports.insert = void 0;
    var unicount_1 = require_unicount();
    var type_1 = __importStar(require_type());
    var api_1 = __importDefault(require_api());
    var ropeImplUnicodeString = {
      create(s) {
        return s;
      },
      toString(s) {
        return s;
      },
      builder(oldDoc) {
        if (typeof oldDoc !== "string")
          throw Error("Invalid document snapshot: " + oldDoc);
        const newDoc = [];
        return {
          skip(n) {
            let offset = unicount_1.uniToStrPos(oldDoc, n);
            if (offset > oldDoc.length)
              throw Error("The op is too long for this document");
            newDoc.push(oldDoc.slice(0, offset));
            oldDoc = oldDoc.slice(offset);
          },
          append(s) {
            newDoc.push(s);
          },
          del(n) {
            oldDoc = oldDoc.slice(unicount_1.uniToStrPos(oldDoc, n));
          },
          build() {
            return newDoc.join("") + oldDoc;
          }
        };
      },
      slice: type_1.uniSlice
    };
    var textString = type_1.default(ropeImplUnicodeString);
    var type = Object.assign(Object.assign({}, textString), { api: api_1.default });
    exports.type = type;
    exports.insert = (pos, text) => text.length === 0 ? [] : pos === 0 ? [text] : [pos, text];
    exports.remove = (pos, textOrLen) => type_1.dlen(textOrLen) === 0 ? [] : pos === 0 ? [{ d: textOrLen }] : [pos, { d: textOrLen }];
    var type_2 = require_type();
    Object.defineProperty(exports, "makeType", { enumerable: true, get: function() {
      return type_2.default;
    } });
  }
});

// node_modules/openapi-fetch/dist/index.mjs
var PATH_PARAM_RE = /\{[^{}]+\}/g;
var supportsRequestInitExt = () => {
  return typeof process === "object" && Number.parseInt(process?.versions?.node?.substring(0, 2)) >= 18 && process.versions.undici;
};
function randomID() {
  return Math.random().toString(36).slice(2, 11);
}
function createClient(clientOptions) {
  let {
    baseUrl = "",
    Request: CustomRequest = globalThis.Request,
    fetch: baseFetch = globalThis.fetch,
    querySerializer: globalQuerySerializer,
    bodySerializer: globalBodySerializer,
    pathSerializer: globalPathSerializer,
    headers: baseHeaders,
    requestInitExt = void 0,
    ...baseOptions
  } = { ...clientOptions };
  requestInitExt = supportsRequestInitExt() ? requestInitExt : void 0;
  baseUrl = removeTrailingSlash(baseUrl);
  const globalMiddlewares = [];
  async function coreFetch(schemaPath, fetchOptions) {
    const {
      baseUrl: localBaseUrl,
      fetch = baseFetch,
      Request = CustomRequest,
      headers,
      params = {},
      parseAs = "json",
      querySerializer: requestQuerySerializer,
      bodySerializer = globalBodySerializer ?? defaultBodySerializer,
      pathSerializer: requestPathSerializer,
      body,
      middleware: requestMiddlewares = [],
      ...init
    } = fetchOptions || {};
    let finalBaseUrl = baseUrl;
    if (localBaseUrl) {
      finalBaseUrl = removeTrailingSlash(localBaseUrl) ?? baseUrl;
    }
    let querySerializer = typeof globalQuerySerializer === "function" ? globalQuerySerializer : createQuerySerializer(globalQuerySerializer);
    if (requestQuerySerializer) {
      querySerializer = typeof requestQuerySerializer === "function" ? requestQuerySerializer : createQuerySerializer({
        ...typeof globalQuerySerializer === "object" ? globalQuerySerializer : {},
        ...requestQuerySerializer
      });
    }
    const pathSerializer = requestPathSerializer || globalPathSerializer || defaultPathSerializer;
    const serializedBody = body === void 0 ? void 0 : bodySerializer(
      body,
      // Note: we declare mergeHeaders() both here and below because it’s a bit of a chicken-or-egg situation:
      // bodySerializer() needs all headers so we aren’t dropping ones set by the user, however,
      // the result of this ALSO sets the lowest-priority content-type header. So we re-merge below,
      // setting the content-type at the very beginning to be overwritten.
      // Lastly, based on the way headers work, it’s not a simple “present-or-not” check becauase null intentionally un-sets headers.
      mergeHeaders(baseHeaders, headers, params.header)
    );
    const finalHeaders = mergeHeaders(
      // with no body, we should not to set Content-Type
      serializedBody === void 0 || // if serialized body is FormData; browser will correctly set Content-Type & boundary expression
      serializedBody instanceof FormData ? {} : {
        "Content-Type": "application/json"
      },
      baseHeaders,
      headers,
      params.header
    );
    const finalMiddlewares = [...globalMiddlewares, ...requestMiddlewares];
    const requestInit = {
      redirect: "follow",
      ...baseOptions,
      ...init,
      body: serializedBody,
      headers: finalHeaders
    };
    let id;
    let options;
    let request = new Request(
      createFinalURL(schemaPath, { baseUrl: finalBaseUrl, params, querySerializer, pathSerializer }),
      requestInit
    );
    let response;
    for (const key in init) {
      if (!(key in request)) {
        request[key] = init[key];
      }
    }
    if (finalMiddlewares.length) {
      id = randomID();
      options = Object.freeze({
        baseUrl: finalBaseUrl,
        fetch,
        parseAs,
        querySerializer,
        bodySerializer,
        pathSerializer
      });
      for (const m of finalMiddlewares) {
        if (m && typeof m === "object" && typeof m.onRequest === "function") {
          const result = await m.onRequest({
            request,
            schemaPath,
            params,
            options,
            id
          });
          if (result) {
            if (result instanceof Request) {
              request = result;
            } else if (result instanceof Response) {
              response = result;
              break;
            } else {
              throw new Error("onRequest: must return new Request() or Response() when modifying the request");
            }
          }
        }
      }
    }
    if (!response) {
      try {
        response = await fetch(request, requestInitExt);
      } catch (error2) {
        let errorAfterMiddleware = error2;
        if (finalMiddlewares.length) {
          for (let i = finalMiddlewares.length - 1; i >= 0; i--) {
            const m = finalMiddlewares[i];
            if (m && typeof m === "object" && typeof m.onError === "function") {
              const result = await m.onError({
                request,
                error: errorAfterMiddleware,
                schemaPath,
                params,
                options,
                id
              });
              if (result) {
                if (result instanceof Response) {
                  errorAfterMiddleware = void 0;
                  response = result;
                  break;
                }
                if (result instanceof Error) {
                  errorAfterMiddleware = result;
                  continue;
                }
                throw new Error("onError: must return new Response() or instance of Error");
              }
            }
          }
        }
        if (errorAfterMiddleware) {
          throw errorAfterMiddleware;
        }
      }
      if (finalMiddlewares.length) {
        for (let i = finalMiddlewares.length - 1; i >= 0; i--) {
          const m = finalMiddlewares[i];
          if (m && typeof m === "object" && typeof m.onResponse === "function") {
            const result = await m.onResponse({
              request,
              response,
              schemaPath,
              params,
              options,
              id
            });
            if (result) {
              if (!(result instanceof Response)) {
                throw new Error("onResponse: must return new Response() when modifying the response");
              }
              response = result;
            }
          }
        }
      }
    }
    const contentLength = response.headers.get("Content-Length");
    if (response.status === 204 || request.method === "HEAD" || contentLength === "0" && !response.headers.get("Transfer-Encoding")?.includes("chunked")) {
      return response.ok ? { data: void 0, response } : { error: void 0, response };
    }
    if (response.ok) {
      const getResponseData = async () => {
        if (parseAs === "stream") {
          return response.body;
        }
        if (parseAs === "json" && !contentLength) {
          const raw = await response.text();
          return raw ? JSON.parse(raw) : void 0;
        }
        return await response[parseAs]();
      };
      return { data: await getResponseData(), response };
    }
    let error = await response.text();
    try {
      error = JSON.parse(error);
    } catch {
    }
    return { error, response };
  }
  return {
    request(method, url, init) {
      return coreFetch(url, { ...init, method: method.toUpperCase() });
    },
    /** Call a GET endpoint */
    GET(url, init) {
      return coreFetch(url, { ...init, method: "GET" });
    },
    /** Call a PUT endpoint */
    PUT(url, init) {
      return coreFetch(url, { ...init, method: "PUT" });
    },
    /** Call a POST endpoint */
    POST(url, init) {
      return coreFetch(url, { ...init, method: "POST" });
    },
    /** Call a DELETE endpoint */
    DELETE(url, init) {
      return coreFetch(url, { ...init, method: "DELETE" });
    },
    /** Call a OPTIONS endpoint */
    OPTIONS(url, init) {
      return coreFetch(url, { ...init, method: "OPTIONS" });
    },
    /** Call a HEAD endpoint */
    HEAD(url, init) {
      return coreFetch(url, { ...init, method: "HEAD" });
    },
    /** Call a PATCH endpoint */
    PATCH(url, init) {
      return coreFetch(url, { ...init, method: "PATCH" });
    },
    /** Call a TRACE endpoint */
    TRACE(url, init) {
      return coreFetch(url, { ...init, method: "TRACE" });
    },
    /** Register middleware */
    use(...middleware) {
      for (const m of middleware) {
        if (!m) {
          continue;
        }
        if (typeof m !== "object" || !("onRequest" in m || "onResponse" in m || "onError" in m)) {
          throw new Error("Middleware must be an object with one of `onRequest()`, `onResponse() or `onError()`");
        }
        globalMiddlewares.push(m);
      }
    },
    /** Unregister middleware */
    eject(...middleware) {
      for (const m of middleware) {
        const i = globalMiddlewares.indexOf(m);
        if (i !== -1) {
          globalMiddlewares.splice(i, 1);
        }
      }
    }
  };
}
function serializePrimitiveParam(name, value, options) {
  if (value === void 0 || value === null) {
    return "";
  }
  if (typeof value === "object") {
    throw new Error(
      "Deeply-nested arrays/objects aren\u2019t supported. Provide your own `querySerializer()` to handle these."
    );
  }
  return `${name}=${options?.allowReserved === true ? value : encodeURIComponent(value)}`;
}
function serializeObjectParam(name, value, options) {
  if (!value || typeof value !== "object") {
    return "";
  }
  const values = [];
  const joiner = {
    simple: ",",
    label: ".",
    matrix: ";"
  }[options.style] || "&";
  if (options.style !== "deepObject" && options.explode === false) {
    for (const k in value) {
      values.push(k, options.allowReserved === true ? value[k] : encodeURIComponent(value[k]));
    }
    const final2 = values.join(",");
    switch (options.style) {
      case "form": {
        return `${name}=${final2}`;
      }
      case "label": {
        return `.${final2}`;
      }
      case "matrix": {
        return `;${name}=${final2}`;
      }
      default: {
        return final2;
      }
    }
  }
  for (const k in value) {
    const finalName = options.style === "deepObject" ? `${name}[${k}]` : k;
    values.push(serializePrimitiveParam(finalName, value[k], options));
  }
  const final = values.join(joiner);
  return options.style === "label" || options.style === "matrix" ? `${joiner}${final}` : final;
}
function serializeArrayParam(name, value, options) {
  if (!Array.isArray(value)) {
    return "";
  }
  if (options.explode === false) {
    const joiner2 = { form: ",", spaceDelimited: "%20", pipeDelimited: "|" }[options.style] || ",";
    const final = (options.allowReserved === true ? value : value.map((v) => encodeURIComponent(v))).join(joiner2);
    switch (options.style) {
      case "simple": {
        return final;
      }
      case "label": {
        return `.${final}`;
      }
      case "matrix": {
        return `;${name}=${final}`;
      }
      // case "spaceDelimited":
      // case "pipeDelimited":
      default: {
        return `${name}=${final}`;
      }
    }
  }
  const joiner = { simple: ",", label: ".", matrix: ";" }[options.style] || "&";
  const values = [];
  for (const v of value) {
    if (options.style === "simple" || options.style === "label") {
      values.push(options.allowReserved === true ? v : encodeURIComponent(v));
    } else {
      values.push(serializePrimitiveParam(name, v, options));
    }
  }
  return options.style === "label" || options.style === "matrix" ? `${joiner}${values.join(joiner)}` : values.join(joiner);
}
function createQuerySerializer(options) {
  return function querySerializer(queryParams) {
    const search = [];
    if (queryParams && typeof queryParams === "object") {
      for (const name in queryParams) {
        const value = queryParams[name];
        if (value === void 0 || value === null) {
          continue;
        }
        if (Array.isArray(value)) {
          if (value.length === 0) {
            continue;
          }
          search.push(
            serializeArrayParam(name, value, {
              style: "form",
              explode: true,
              ...options?.array,
              allowReserved: options?.allowReserved || false
            })
          );
          continue;
        }
        if (typeof value === "object") {
          search.push(
            serializeObjectParam(name, value, {
              style: "deepObject",
              explode: true,
              ...options?.object,
              allowReserved: options?.allowReserved || false
            })
          );
          continue;
        }
        search.push(serializePrimitiveParam(name, value, options));
      }
    }
    return search.join("&");
  };
}
function defaultPathSerializer(pathname, pathParams) {
  let nextURL = pathname;
  for (const match of pathname.match(PATH_PARAM_RE) ?? []) {
    let name = match.substring(1, match.length - 1);
    let explode = false;
    let style = "simple";
    if (name.endsWith("*")) {
      explode = true;
      name = name.substring(0, name.length - 1);
    }
    if (name.startsWith(".")) {
      style = "label";
      name = name.substring(1);
    } else if (name.startsWith(";")) {
      style = "matrix";
      name = name.substring(1);
    }
    if (!pathParams || pathParams[name] === void 0 || pathParams[name] === null) {
      continue;
    }
    const value = pathParams[name];
    if (Array.isArray(value)) {
      nextURL = nextURL.replace(match, serializeArrayParam(name, value, { style, explode }));
      continue;
    }
    if (typeof value === "object") {
      nextURL = nextURL.replace(match, serializeObjectParam(name, value, { style, explode }));
      continue;
    }
    if (style === "matrix") {
      nextURL = nextURL.replace(match, `;${serializePrimitiveParam(name, value)}`);
      continue;
    }
    nextURL = nextURL.replace(match, style === "label" ? `.${encodeURIComponent(value)}` : encodeURIComponent(value));
  }
  return nextURL;
}
function defaultBodySerializer(body, headers) {
  if (body instanceof FormData) {
    return body;
  }
  if (headers) {
    const contentType = headers.get instanceof Function ? headers.get("Content-Type") ?? headers.get("content-type") : headers["Content-Type"] ?? headers["content-type"];
    if (contentType === "application/x-www-form-urlencoded") {
      return new URLSearchParams(body).toString();
    }
  }
  return JSON.stringify(body);
}
function createFinalURL(pathname, options) {
  let finalURL = `${options.baseUrl}${pathname}`;
  if (options.params?.path) {
    finalURL = options.pathSerializer(finalURL, options.params.path);
  }
  let search = options.querySerializer(options.params.query ?? {});
  if (search.startsWith("?")) {
    search = search.substring(1);
  }
  if (search) {
    finalURL += `?${search}`;
  }
  return finalURL;
}
function mergeHeaders(...allHeaders) {
  const finalHeaders = new Headers();
  for (const h of allHeaders) {
    if (!h || typeof h !== "object") {
      continue;
    }
    const iterator = h instanceof Headers ? h.entries() : Object.entries(h);
    for (const [k, v] of iterator) {
      if (v === null) {
        finalHeaders.delete(k);
      } else if (Array.isArray(v)) {
        for (const v2 of v) {
          finalHeaders.append(k, v2);
        }
      } else if (v !== void 0) {
        finalHeaders.set(k, v);
      }
    }
  }
  return finalHeaders;
}
function removeTrailingSlash(url) {
  if (url.endsWith("/")) {
    return url.substring(0, url.length - 1);
  }
  return url;
}

// src/errors.ts
var StoaError = class _StoaError extends Error {
  status;
  code;
  detail;
  errors;
  /** Seconds, from a Retry-After header. */
  retryAfter;
  constructor(status, code, detail, errors, retryAfter) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = "StoaError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
    this.retryAfter = retryAfter;
  }
  /** Reads a failed response's problem body; a body that is no problem (a proxy's page) still gives the status. */
  static async fromResponse(response) {
    let problem = void 0;
    try {
      problem = await response.json();
    } catch {
    }
    return _StoaError.fromProblem(response.status, problem, response.headers.get("Retry-After"));
  }
  static fromProblem(status, problem, retryAfterHeader) {
    const p = typeof problem === "object" && problem !== null ? problem : {};
    const text = (v) => typeof v === "string" ? v : void 0;
    const retryAfter = retryAfterHeader != null && retryAfterHeader !== "" ? Number(retryAfterHeader) : void 0;
    return new _StoaError(
      status,
      text(p.code) ?? `http_${status}`,
      text(p.detail) ?? text(p.title),
      typeof p.errors === "object" && p.errors !== null ? p.errors : void 0,
      Number.isFinite(retryAfter) ? retryAfter : void 0
    );
  }
};
var isTransientStatus = (status) => status === 0 || status === 408 || status === 429 || status >= 500;

// src/options.ts
var resolve = (value) => typeof value === "function" ? value() : value;
function currentCredentials(options) {
  return {
    apiKey: resolve(options.apiKey) || void 0,
    token: (options.token === void 0 ? void 0 : resolve(options.token)) || void 0
  };
}
function credentialHeaders(options) {
  const { apiKey, token } = currentCredentials(options);
  const headers = {};
  if (apiKey) headers["X-Api-Key"] = apiKey;
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}
function nodeUrl(options, path) {
  return new URL(path, resolve(options.baseUrl));
}
var Backoff = class {
  #initial;
  #max;
  #delay;
  constructor(options, initialMs = 100, maxMs = 5e3) {
    this.#initial = options.reconnectDelayMs ?? initialMs;
    this.#max = options.maxReconnectDelayMs ?? maxMs;
    this.#delay = this.#initial;
  }
  /** True once the delay has grown to its maximum (attempts keep failing). */
  get exhausted() {
    return this.#delay >= this.#max;
  }
  /** The next wait: between half and one and a half times the current delay, which then doubles. */
  next() {
    const wait = this.#delay * (0.5 + Math.random());
    this.#delay = Math.min(this.#delay * 2, this.#max);
    return wait;
  }
  reset() {
    this.#delay = this.#initial;
  }
  /** Moves the first delay (a server's advice), keeping at most the maximum. */
  startAt(ms) {
    this.#initial = Math.min(Math.max(ms, 1), this.#max);
    this.#delay = Math.max(this.#delay, this.#initial);
  }
};

// src/rest.ts
function createRestClient(options) {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  return createClient({
    // openapi-fetch needs an absolute base to build its Request; the fetch below moves the call to the node.
    baseUrl: PLACEHOLDER,
    fetch: async (request) => {
      const target = new URL(request.url.slice(PLACEHOLDER.length), resolve(options.baseUrl));
      const headers = new Headers(request.headers);
      for (const [name, value] of Object.entries(credentialHeaders(options))) {
        if (!headers.has(name)) headers.set(name, value);
      }
      const body = request.method === "GET" || request.method === "HEAD" ? void 0 : await request.arrayBuffer();
      return fetchFn(target, {
        method: request.method,
        headers,
        body: body && body.byteLength > 0 ? body : void 0,
        signal: request.signal
      });
    }
  });
}
var PLACEHOLDER = "http://stoa.invalid";
async function ok(call) {
  let result;
  try {
    result = await call;
  } catch (e) {
    if (e instanceof Error && e.name === "AbortError") throw e;
    throw new StoaError(0, "network_error", e instanceof Error ? e.message : String(e));
  }
  const { data, error, response } = result;
  if (!response.ok) {
    throw StoaError.fromProblem(response.status, error, response.headers.get("Retry-After"));
  }
  return data;
}
async function* docOpsSince(rest, docId, from, limit = 1e3) {
  let after = from;
  while (true) {
    const page = await ok(rest.GET("/v1/docs/{id}/ops", { params: { path: { id: docId }, query: { from: after, limit } } }));
    for (const op of page.ops) {
      yield op;
      after = Number(op.version);
    }
    if (page.ops.length === 0 || after >= Number(page.version)) return;
  }
}

// src/emitter.ts
var Emitter = class {
  #listeners = /* @__PURE__ */ new Map();
  /** Subscribes; returns the function that unsubscribes. */
  on(event, listener) {
    let set = this.#listeners.get(event);
    if (!set) {
      set = /* @__PURE__ */ new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }
  emit(event, value) {
    for (const listener of [...this.#listeners.get(event) ?? []]) listener(value);
  }
};

// src/ot.ts
var ot_exports = {};
__export(ot_exports, {
  apply: () => apply,
  compose: () => compose,
  cpLength: () => cpLength,
  diff: () => diff,
  fromUtf16Index: () => fromUtf16Index,
  isNoop: () => isNoop,
  normalize: () => normalize,
  toUtf16Index: () => toUtf16Index,
  transform: () => transform,
  transformPosition: () => transformPosition
});
var import_ot_text_unicode = __toESM(require_dist(), 1);
var apply = (text, op) => import_ot_text_unicode.type.apply(text, op);
var transform = (op, other, side) => import_ot_text_unicode.type.transform(op, other, side);
var compose = (first, second) => import_ot_text_unicode.type.compose(first, second);
var normalize = (op) => import_ot_text_unicode.type.normalize(op);
var transformPosition = (cursor, op) => import_ot_text_unicode.type.transformPosition(cursor, op);
var isNoop = (op) => import_ot_text_unicode.type.normalize(op).length === 0;
var isHigh = (c) => c >= 55296 && c <= 56319;
var isLow = (c) => c >= 56320 && c <= 57343;
function cpLength(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    if (isHigh(text.charCodeAt(i)) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) i++;
    n++;
  }
  return n;
}
function toUtf16Index(text, position) {
  let index = 0;
  for (let n = 0; n < position && index < text.length; n++) {
    index += isHigh(text.charCodeAt(index)) && index + 1 < text.length && isLow(text.charCodeAt(index + 1)) ? 2 : 1;
  }
  return index;
}
function fromUtf16Index(text, index) {
  let end = Math.min(index, text.length);
  if (end > 0 && end < text.length && isHigh(text.charCodeAt(end - 1)) && isLow(text.charCodeAt(end))) end++;
  return cpLength(text.slice(0, end));
}
function diff(before, after) {
  if (before === after) return [];
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHigh(before.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  if (suffix > 0 && isLow(before.charCodeAt(before.length - suffix))) suffix--;
  const op = [];
  const skip = cpLength(before.slice(0, prefix));
  if (skip > 0) op.push(skip);
  const deleted = before.slice(prefix, before.length - suffix);
  if (deleted) op.push({ d: deleted });
  const inserted = after.slice(prefix, after.length - suffix);
  if (inserted) op.push(inserted);
  return op;
}

// src/docs-session.ts
var TRANSIENT = /* @__PURE__ */ new Set(["rate_limited", "doc_busy", "store_busy", "internal_error"]);
var FATAL_CLOSE_REASONS = /* @__PURE__ */ new Set(["doc_forbidden", "doc_not_found", "version_too_old"]);
var CLOSE_GIVE_UP_MS = 3e3;
var OPEN = 1;
var CONNECTING = 0;
var DocSession = class _DocSession extends Emitter {
  clientId;
  docId;
  /** The local text: the server's version plus the local edits not yet acknowledged. */
  text = "";
  /** The last server version this session has applied. */
  version = 0;
  /** Set when the session stopped following the document. */
  failure = null;
  #options;
  #backoff;
  #inflight = null;
  #inflightSeq = 0;
  #buffer = null;
  #seq = 0;
  #hasSnapshot = false;
  #connection = null;
  #closed = false;
  constructor(options) {
    super();
    this.#options = options;
    this.#backoff = new Backoff(options);
    this.docId = options.docId;
    this.clientId = options.clientId ?? "js" + Math.random().toString(36).slice(2, 14);
  }
  /** Opens a session and resolves once the snapshot arrived. */
  static open(options) {
    return new _DocSession(options).open();
  }
  get state() {
    if (this.#inflight === null) return "synchronized";
    return this.#buffer === null ? "awaitingConfirm" : "awaitingWithBuffer";
  }
  get connected() {
    return this.#connection?.socket.readyState === OPEN;
  }
  /** Connects and resolves once the snapshot arrived (rejects when the session cannot open). */
  open() {
    return new Promise((resolvePromise, reject) => {
      const offOpen = this.on("open", () => {
        offOpen();
        offFail();
        resolvePromise(this);
      });
      const offFail = this.on("fail", (error) => {
        offOpen();
        offFail();
        reject(error);
      });
      this.#connect();
    });
  }
  /** Applies a local edit (made on `text`) at once and sends it when the state machine allows. */
  submit(op) {
    if (this.failure) throw this.failure;
    if (isNoop(op)) return;
    this.text = apply(this.text, op);
    if (this.#inflight === null) {
      this.#inflight = op;
      this.#inflightSeq = ++this.#seq;
      this.#sendInflight();
    } else {
      this.#buffer = this.#buffer === null ? op : compose(this.#buffer, op);
    }
    this.emit("state", this.state);
  }
  /** Replaces the whole text (what a text field's input event gives) as one minimal edit. */
  replace(newText) {
    this.submit(diff(this.text, newText));
  }
  /** Tells the others where this client's cursor is (a code point position in `text`). */
  moveCursor(position) {
    this.#send({ type: "cursor", position: Math.max(0, Math.floor(position)) });
  }
  /** Resolves when every local edit is acknowledged; rejects if the session fails first. */
  whenSynchronized() {
    if (this.failure) return Promise.reject(this.failure);
    if (this.#inflight === null) return Promise.resolve();
    return new Promise((resolvePromise, reject) => {
      const off = this.on("state", (state) => {
        if (this.failure) {
          off();
          reject(this.failure);
        } else if (state === "synchronized") {
          off();
          resolvePromise();
        }
      });
    });
  }
  /** Drops the connection as a network failure would; the session reconnects by itself (for tests and demos). */
  dropConnection() {
    if (this.#connection) this.#closeSocket(this.#connection);
  }
  close() {
    this.#closed = true;
    if (this.#connection) this.#closeSocket(this.#connection, 1e3, "bye");
  }
  #closeSocket(connection, code, reason) {
    if (connection.socket.readyState === CONNECTING) {
      connection.closeWhenOpen = true;
    } else {
      connection.socket.close(code, reason);
    }
    const timer = setTimeout(() => this.#finish(connection), CLOSE_GIVE_UP_MS);
    timer.unref?.();
  }
  #liveUrl() {
    const url = nodeUrl(this.#options, `/v1/docs/${encodeURIComponent(this.docId)}/live`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("clientId", this.clientId);
    const { apiKey, token } = currentCredentials(this.#options);
    if (apiKey) url.searchParams.set("api_key", apiKey);
    if (token) url.searchParams.set("access_token", token);
    if (this.#hasSnapshot) url.searchParams.set("from", String(this.version));
    return url.toString();
  }
  #connect() {
    if (this.#closed || this.failure) return;
    const Socket = this.#options.WebSocket ?? globalThis.WebSocket;
    if (!Socket) {
      this.#fail(new StoaError(0, "websocket_unavailable", "No WebSocket here: pass options.WebSocket (npm ws in node 20)."));
      return;
    }
    let socket;
    try {
      socket = new Socket(this.#liveUrl());
    } catch (e) {
      this.#fail(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    const connection = { socket, opened: false, closeWhenOpen: false, finished: false };
    this.#connection = connection;
    socket.onopen = () => {
      connection.opened = true;
      if (connection.closeWhenOpen) {
        socket.close();
        return;
      }
      this.#backoff.reset();
      this.emit("connection", true);
      if (this.#inflight !== null) this.#sendInflight();
    };
    socket.onmessage = (event) => {
      if (this.#connection !== connection) return;
      let message;
      try {
        message = JSON.parse(typeof event.data === "string" ? event.data : String(event.data));
      } catch {
        this.dropConnection();
        return;
      }
      this.#handle(message);
    };
    socket.onclose = (event) => {
      if (event?.code === 1008 && event.reason && FATAL_CLOSE_REASONS.has(event.reason) && this.#connection === connection) {
        this.#connection = null;
        this.#fail(new StoaError(0, event.reason, `The server closed the session: ${event.reason}`));
        return;
      }
      this.#finish(connection);
    };
    socket.onerror = () => {
    };
  }
  #finish(connection) {
    if (connection.finished) return;
    connection.finished = true;
    if (this.#connection !== connection) return;
    this.#connection = null;
    if (connection.opened) this.emit("connection", false);
    if (this.#closed || this.failure) return;
    if (!connection.opened && !this.#hasSnapshot && this.#backoff.exhausted) {
      this.#fail(new StoaError(0, "doc_session_refused", "Cannot open the document session"));
      return;
    }
    const wait = this.#backoff.next();
    setTimeout(() => this.#connect(), wait);
  }
  #handle(message) {
    switch (message.type) {
      case "snapshot":
        if (!this.#hasSnapshot) {
          this.text = message.text;
          this.version = message.version;
          this.#hasSnapshot = true;
          this.emit("open", this);
        }
        break;
      case "op":
        this.#onRemoteOp(message);
        break;
      case "ack":
        this.#onAck(message.seq, message.version);
        break;
      case "presence":
        this.emit("presence", { clientId: message.clientId, userId: message.userId, cursor: message.cursor ?? null, online: message.online });
        break;
      case "error":
        this.#onError(message);
        break;
    }
  }
  #onRemoteOp(message) {
    const { version, clientId, userId } = message;
    let op = message.op;
    if (version <= this.version) return;
    if (version !== this.version + 1) {
      this.dropConnection();
      return;
    }
    if (this.#inflight !== null) {
      const remote = transform(op, this.#inflight, "right");
      this.#inflight = transform(this.#inflight, op, "left");
      op = remote;
      if (this.#buffer !== null) {
        const remote2 = transform(op, this.#buffer, "right");
        this.#buffer = transform(this.#buffer, op, "left");
        op = remote2;
      }
    }
    this.text = apply(this.text, op);
    this.version = version;
    this.emit("remote", { version, op, clientId, ...userId === void 0 ? {} : { userId } });
  }
  #onAck(seq, version) {
    if (this.#inflight === null || seq !== this.#inflightSeq || version <= this.version) return;
    this.version = version;
    this.#inflight = null;
    if (this.#buffer !== null) {
      this.#inflight = this.#buffer;
      this.#buffer = null;
      this.#inflightSeq = ++this.#seq;
      this.#sendInflight();
    }
    this.emit("ack", { seq, version });
    this.emit("state", this.state);
  }
  #onError(message) {
    this.emit("error", message);
    if (message.seq === void 0 || this.#inflight === null || message.seq !== this.#inflightSeq) return;
    if (TRANSIENT.has(message.code)) {
      const seq = message.seq;
      setTimeout(() => {
        if (this.#inflight !== null && this.#inflightSeq === seq) this.#sendInflight();
      }, message.retryAfterMs ?? 200);
      return;
    }
    this.#fail(new StoaError(0, message.code, message.detail));
  }
  #fail(error) {
    if (this.failure) return;
    this.failure = error;
    this.emit("fail", error);
    this.emit("state", this.state);
    if (this.#connection) this.#closeSocket(this.#connection);
  }
  #sendInflight() {
    this.#send({ type: "op", baseVersion: this.version, op: this.#inflight, clientId: this.clientId, seq: this.#inflightSeq });
  }
  // Messages sent while disconnected are dropped: the in-flight op is resent on reconnect.
  #send(message) {
    const socket = this.#connection?.socket;
    if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(message));
  }
};

// src/sse.ts
var MAX_EVENT_BYTES = 1 << 20;
async function* readEvents(body, onRetry) {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let pending = "";
  let event = "";
  let data = [];
  let dataLength = 0;
  let id;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      pending += decoder.decode(value, { stream: true });
      let start = 0;
      for (let i = 0; i < pending.length; i++) {
        const c = pending.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        if (c === 13 && i + 1 === pending.length) break;
        const line = pending.slice(start, i);
        if (c === 13 && pending.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
        if (line === "") {
          if (data.length > 0) yield { event: event || "message", data: data.join("\n"), id };
          event = "";
          data = [];
          dataLength = 0;
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value2 = colon < 0 ? "" : line.slice(colon + 1);
        if (value2.startsWith(" ")) value2 = value2.slice(1);
        if (field === "data") {
          dataLength += value2.length;
          if (dataLength > MAX_EVENT_BYTES) throw new StoaError(0, "event_too_large", "An event exceeded 1 MiB");
          data.push(value2);
        } else if (field === "event") {
          event = value2;
        } else if (field === "id" && !value2.includes("\0")) {
          id = value2;
        } else if (field === "retry" && /^\d+$/.test(value2)) {
          onRetry?.(Number(value2));
        }
      }
      pending = pending.slice(start);
      if (pending.length > MAX_EVENT_BYTES) throw new StoaError(0, "event_too_large", "A line exceeded 1 MiB");
    }
  } finally {
    reader.releaseLock();
  }
}
var EventStream = class extends Emitter {
  /** The id of the last event received (sent back as Last-Event-ID when `resume` is on). */
  lastEventId;
  failure = null;
  #path;
  #options;
  #backoff;
  #abort = null;
  #closed = false;
  #started = false;
  #connectedOnce = false;
  constructor(path, options) {
    super();
    this.#path = path;
    this.#options = options;
    this.#backoff = new Backoff(options, 500, 15e3);
  }
  get closed() {
    return this.#closed;
  }
  /** Starts the stream (idempotent); events arrive through `on('event')`. */
  start() {
    if (!this.#started) {
      this.#started = true;
      void this.#run();
    }
    return this;
  }
  /** Drops the current connection as a network failure would; the stream reconnects by itself. */
  dropConnection() {
    this.#abort?.abort();
  }
  close() {
    this.#closed = true;
    this.#abort?.abort();
  }
  async #run() {
    const fetchFn = this.#options.fetch ?? globalThis.fetch.bind(globalThis);
    while (!this.#closed) {
      const abort = new AbortController();
      this.#abort = abort;
      let error = null;
      try {
        const headers = { ...credentialHeaders(this.#options), Accept: "text/event-stream" };
        if (this.#options.resume && this.lastEventId !== void 0) headers["Last-Event-ID"] = this.lastEventId;
        const response = await fetchFn(nodeUrl(this.#options, this.#path()), { headers, signal: abort.signal, cache: "no-store" });
        if (!response.ok || !response.body) {
          const refusal = await StoaError.fromResponse(response);
          if (!isTransientStatus(response.status)) {
            this.#fail(refusal);
            return;
          }
          throw refusal;
        }
        this.#backoff.reset();
        this.emit("open", { reconnected: this.#connectedOnce });
        this.#connectedOnce = true;
        for await (const event of readEvents(response.body, (ms) => this.#serverRetry(ms))) {
          if (event.id !== void 0) this.lastEventId = event.id;
          this.emit("event", event);
        }
        error = new StoaError(0, "stream_ended", "The server ended the stream");
      } catch (e) {
        error = e;
      } finally {
        abort.abort();
      }
      if (this.#closed) return;
      const retryInMs = this.#backoff.next();
      this.emit("disconnected", { error, retryInMs });
      await new Promise((r) => setTimeout(r, retryInMs));
    }
  }
  // The server's `retry:` is where the backoff starts, unless the caller chose a delay.
  #serverRetry(ms) {
    if (this.#options.reconnectDelayMs === void 0) this.#backoff.startAt(ms);
  }
  #fail(error) {
    this.failure = error;
    this.#closed = true;
    this.emit("fail", error);
  }
};

// src/quotes.ts
var QuoteStream = class extends Emitter {
  /** The newest quote seen per symbol (upper case). */
  latest = /* @__PURE__ */ new Map();
  #stream;
  constructor(options) {
    super();
    const symbols = options.symbols.map((s) => s.trim().toUpperCase()).filter(Boolean).join(",");
    this.#stream = new EventStream(() => `/v1/quotes/stream?symbols=${encodeURIComponent(symbols)}`, options);
    this.#stream.on("open", () => this.emit("live", true));
    this.#stream.on("disconnected", () => this.emit("live", false));
    this.#stream.on("fail", (error) => this.emit("fail", error));
    this.#stream.on("event", (event) => {
      if (event.event !== "quote") return;
      let quote;
      try {
        quote = JSON.parse(event.data);
      } catch {
        return;
      }
      const symbol = String(quote.symbol);
      const known = this.latest.get(symbol);
      if (known && Number(known.seq) >= Number(quote.seq)) return;
      this.latest.set(symbol, quote);
      this.emit("quote", quote);
    });
  }
  /** Starts streaming; quotes arrive through `on('quote')`. */
  start() {
    this.#stream.start();
    return this;
  }
  get failure() {
    return this.#stream.failure;
  }
  /** Drops the connection as a network failure would; the stream reconnects by itself. */
  dropConnection() {
    this.#stream.dropConnection();
  }
  close() {
    this.#stream.close();
  }
};

// src/comments.ts
var ThreadEvents = class extends Emitter {
  threadId;
  #stream;
  constructor(options) {
    super();
    this.threadId = options.threadId;
    this.#stream = new EventStream(() => `/v1/threads/${encodeURIComponent(options.threadId)}/events`, { ...options, resume: true });
    this.#stream.on("open", (open) => this.emit("live", open));
    this.#stream.on("disconnected", () => this.emit("offline", void 0));
    this.#stream.on("fail", (error) => this.emit("fail", error));
    this.#stream.on("event", (event) => {
      let payload;
      try {
        payload = JSON.parse(event.data);
      } catch {
        return;
      }
      switch (event.event) {
        case "comment.created":
        case "comment.updated":
          if (payload.comment) this.emit(event.event, payload.comment);
          break;
        case "comment.counts":
          if (payload.counts) this.emit("comment.counts", payload.counts);
          break;
        case "reload":
          this.emit("reload", void 0);
          break;
      }
    });
  }
  /** The id of the last event received: where a reconnect resumes. */
  get lastEventId() {
    return this.#stream.lastEventId;
  }
  get failure() {
    return this.#stream.failure;
  }
  start() {
    this.#stream.start();
    return this;
  }
  /** Drops the connection as a network failure would; the stream reconnects and resumes by itself. */
  dropConnection() {
    this.#stream.dropConnection();
  }
  close() {
    this.#stream.close();
  }
};
export {
  DocSession,
  EventStream,
  QuoteStream,
  StoaError,
  ThreadEvents,
  apply,
  compose,
  cpLength,
  createRestClient,
  diff,
  docOpsSince,
  fromUtf16Index,
  isNoop,
  normalize,
  ok,
  ot_exports as ot,
  readEvents,
  toUtf16Index,
  transform,
  transformPosition
};
