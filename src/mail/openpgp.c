/*
 * openpgp.c — the organisation's OpenPGP operations with GPGME (see
 * openpgp.h): decryption and signature checks of what arrives; detached
 * signatures, export of the public key, and encryption to a party's key
 * for what leaves.
 *
 * A party's key comes from outside (a team member pastes what a reporter
 * sent) and the organisation's home holds the organisation's secret key,
 * so nothing is imported there as given: the upload goes first into a
 * GnuPG home of its own, made for it and removed after, where it must
 * turn out to be one public key, usable to encrypt; only that key,
 * exported minimal (its user ids' self-signatures, nothing else), reaches
 * the organisation's home.
 */
#define _XOPEN_SOURCE 700   /* nftw */
#include <errno.h>
#include <ftw.h>
#include <gpgme.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/str.h"
#include "mail/openpgp.h"

void xsirt_openpgp_init(void)
{
    gpgme_check_version(NULL);
}

int xsirt_openpgp_decrypt(xsirt_openpgp_result *out, const char *home, const char *in, size_t len,
                          xsirt_error *err)
{
    gpgme_ctx_t ctx = NULL;
    gpgme_data_t cipher = NULL, plain = NULL;
    gpgme_error_t ge;
    struct stat st;
    char *mem;
    size_t n = 0;

    memset(out, 0, sizeof *out);
    if (stat(home, &st) != 0 || !S_ISDIR(st.st_mode))
        return xsirt_error_set(err, XSIRT_EUNSUPPORTED, "no OpenPGP home %s", home);
    gpgme_check_version(NULL);
    if ((ge = gpgme_new(&ctx)) != 0 ||
        (ge = gpgme_ctx_set_engine_info(ctx, GPGME_PROTOCOL_OpenPGP, NULL, home)) != 0 ||
        (ge = gpgme_data_new_from_mem(&cipher, in, len, 0)) != 0 || (ge = gpgme_data_new(&plain)) != 0) {
        gpgme_data_release(cipher);
        gpgme_data_release(plain);
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EINTERNAL, "GPGME: %s", gpgme_strerror(ge));
    }
    /* Never ask anyone for a passphrase: the server's key has none, and
     * there is nobody at a mail server's pipe to type one. */
    gpgme_set_pinentry_mode(ctx, GPGME_PINENTRY_MODE_LOOPBACK);
    ge = gpgme_op_decrypt_verify(ctx, cipher, plain);
    gpgme_data_release(cipher);
    if (ge != 0) {
        gpgme_data_release(plain);
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EINVAL, "OpenPGP: %s", gpgme_strerror(ge));
    }
    {
        gpgme_verify_result_t v = gpgme_op_verify_result(ctx);
        if (v != NULL && v->signatures != NULL) {
            out->signed_valid = (v->signatures->summary & GPGME_SIGSUM_VALID) != 0 ||
                                (v->signatures->status == 0 && v->signatures->validity >= GPGME_VALIDITY_FULL);
            if (v->signatures->fpr != NULL)
                xsirt_strlcpy(out->signer, v->signatures->fpr, sizeof out->signer);
        }
    }
    mem = gpgme_data_release_and_get_mem(plain, &n);
    gpgme_release(ctx);
    out->plain = malloc(n + 1);
    if (out->plain == NULL) {
        gpgme_free(mem);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    if (n > 0)
        memcpy(out->plain, mem, n);
    out->plain[n] = '\0';
    out->plain_len = n;
    gpgme_free(mem);
    return 0;
}

int xsirt_openpgp_create_key(char *fpr, size_t fprsz, const char *home, const char *uid,
                             const char *algo, xsirt_error *err)
{
    gpgme_ctx_t ctx = NULL;
    gpgme_genkey_result_t g;
    gpgme_error_t ge;

    if (mkdir(home, 0700) != 0 && errno != EEXIST)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", home, strerror(errno));
    if (chmod(home, 0700) != 0)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", home, strerror(errno));
    gpgme_check_version(NULL);
    if ((ge = gpgme_new(&ctx)) != 0 || (ge = gpgme_ctx_set_engine_info(ctx, GPGME_PROTOCOL_OpenPGP, NULL, home)) != 0) {
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EINTERNAL, "GPGME: %s", gpgme_strerror(ge));
    }
    gpgme_set_pinentry_mode(ctx, GPGME_PINENTRY_MODE_LOOPBACK);
    /* "future-default": Ed25519 to sign and a Cv25519 subkey to encrypt
     * (GnuPG 2.2's "default" is RSA-3072, slower to make and to use). */
    ge = gpgme_op_createkey(ctx, uid, algo != NULL ? algo : "future-default", 0, 2UL * 365 * 86400, NULL,
                            GPGME_CREATE_NOPASSWD | GPGME_CREATE_FORCE);
    if (ge != 0 || (g = gpgme_op_genkey_result(ctx)) == NULL || g->fpr == NULL) {
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EINVAL, "OpenPGP key for %.200s: %s", uid, gpgme_strerror(ge));
    }
    xsirt_strlcpy(fpr, g->fpr, fprsz);
    gpgme_release(ctx);
    return 0;
}

/* A context on home that never asks for a passphrase: the server's key
 * has none, and there is nobody at a server or a mail pipe to type one. */
static int openpgp_ctx(gpgme_ctx_t *ctx, const char *home, xsirt_error *err)
{
    struct stat st;
    gpgme_error_t ge;

    *ctx = NULL;
    if (home == NULL || stat(home, &st) != 0 || !S_ISDIR(st.st_mode))
        return xsirt_error_set(err, XSIRT_EUNSUPPORTED, "no OpenPGP home %s",
                               home != NULL ? home : "(none)");
    gpgme_check_version(NULL);
    if ((ge = gpgme_new(ctx)) != 0 ||
        (ge = gpgme_ctx_set_engine_info(*ctx, GPGME_PROTOCOL_OpenPGP, NULL, home)) != 0) {
        gpgme_release(*ctx);
        *ctx = NULL;
        return xsirt_error_set(err, XSIRT_EINTERNAL, "GPGME: %s", gpgme_strerror(ge));
    }
    gpgme_set_pinentry_mode(*ctx, GPGME_PINENTRY_MODE_LOOPBACK);
    gpgme_set_armor(*ctx, 1);
    return 0;
}

/* The text GPGME wrote into d, NUL-terminated and malloc'd; d is spent. */
static int openpgp_take(char **out, gpgme_data_t d, xsirt_error *err)
{
    size_t n = 0;
    char *mem = gpgme_data_release_and_get_mem(d, &n);

    *out = malloc(n + 1);
    if (*out == NULL) {
        gpgme_free(mem);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    if (n > 0)
        memcpy(*out, mem, n);
    (*out)[n] = '\0';
    gpgme_free(mem);
    return 0;
}

/* Makes signer (a fingerprint of home's secret keys) the context's only signer. */
static int openpgp_signer(gpgme_ctx_t ctx, const char *signer, xsirt_error *err)
{
    gpgme_key_t key = NULL;
    gpgme_error_t ge = gpgme_get_key(ctx, signer, &key, 1);

    if (ge == 0)
        ge = gpgme_signers_add(ctx, key);
    gpgme_key_unref(key);
    if (ge != 0)
        return xsirt_error_set(err, XSIRT_EUNSUPPORTED, "no secret OpenPGP key %.80s to sign with: %s",
                               signer, gpgme_strerror(ge));
    return 0;
}

int xsirt_openpgp_sign(char **asc, char *micalg, size_t micalgsz, const char *home,
                       const char *signer, const char *in, size_t len, xsirt_error *err)
{
    gpgme_ctx_t ctx;
    gpgme_data_t data = NULL, sig = NULL;
    gpgme_sign_result_t r;
    gpgme_error_t ge;
    int rc;

    *asc = NULL;
    if ((rc = openpgp_ctx(&ctx, home, err)) != 0 || (rc = openpgp_signer(ctx, signer, err)) != 0) {
        gpgme_release(ctx);
        return rc;
    }
    if ((ge = gpgme_data_new_from_mem(&data, in, len, 0)) != 0 || (ge = gpgme_data_new(&sig)) != 0 ||
        (ge = gpgme_op_sign(ctx, data, sig, GPGME_SIG_MODE_DETACH)) != 0 ||
        (r = gpgme_op_sign_result(ctx)) == NULL || r->signatures == NULL) {
        gpgme_data_release(data);
        gpgme_data_release(sig);
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EIO, "OpenPGP signature: %s",
                               ge != 0 ? gpgme_strerror(ge) : "none made");
    }
    if (micalg != NULL) {
        /* RFC 3156 section 5: "pgp-" and the hash's name in lower case. */
        const char *h = gpgme_hash_algo_name(r->signatures->hash_algo);
        snprintf(micalg, micalgsz, "pgp-%s", h != NULL ? h : "sha256");
        xsirt_ascii_lower_str(micalg);
    }
    gpgme_data_release(data);
    rc = openpgp_take(asc, sig, err);
    gpgme_release(ctx);
    return rc;
}

/* ---- a party's key, checked apart ------------------------------------------ */

static int openpgp_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* The key's fingerprint when key (a public key of ctx's home) can be
 * encrypted to now; else the reason. */
static const char *openpgp_usable(gpgme_key_t key)
{
    if (key->secret)
        return "it holds a secret key";
    if (key->revoked)
        return "the key is revoked";
    if (key->expired)
        return "the key has expired";
    if (key->disabled || key->invalid)
        return "the key is disabled or invalid";
    for (gpgme_subkey_t sk = key->subkeys; sk != NULL; sk = sk->next)
        if (sk->can_encrypt && !sk->revoked && !sk->expired && !sk->disabled && !sk->invalid)
            return NULL;
    return "the key has no subkey that can encrypt (or every one is revoked or expired)";
}

/* The one key of the scratch home ctx into *minimal, or the reason. */
static int openpgp_check_in(char **minimal, char *fpr, size_t fprsz, gpgme_ctx_t ctx,
                            const char *key, size_t len, xsirt_error *err)
{
    gpgme_data_t in = NULL, out = NULL;
    gpgme_import_result_t imp;
    gpgme_key_t k = NULL, more = NULL;
    gpgme_error_t ge;
    const char *why;
    int rc, considered;

    if ((ge = gpgme_data_new_from_mem(&in, key, len, 0)) != 0 || (ge = gpgme_op_import(ctx, in)) != 0 ||
        (imp = gpgme_op_import_result(ctx)) == NULL) {
        gpgme_data_release(in);
        return xsirt_error_set(err, XSIRT_EINVAL, "GnuPG cannot read it: %s",
                               ge != 0 ? gpgme_strerror(ge) : "no result");
    }
    gpgme_data_release(in);
    /* Secret key material anywhere in it refuses it whole, whatever its
     * armour's header says. */
    if (imp->secret_read != 0 || imp->secret_imported != 0)
        return xsirt_error_set(err, XSIRT_EINVAL, "it holds a secret key: send only the public key "
                                                  "(gpg --armor --export)");
    /* The import result belongs to ctx until its next operation. */
    considered = imp->considered;
    if ((ge = gpgme_op_keylist_start(ctx, NULL, 0)) != 0 || (ge = gpgme_op_keylist_next(ctx, &k)) != 0) {
        gpgme_op_keylist_end(ctx);
        return xsirt_error_set(err, XSIRT_EINVAL, "it holds no OpenPGP key GnuPG accepts (%d read)",
                               considered);
    }
    if (gpgme_op_keylist_next(ctx, &more) == 0) {
        gpgme_key_unref(k);
        gpgme_key_unref(more);
        gpgme_op_keylist_end(ctx);
        return xsirt_error_set(err, XSIRT_EINVAL, "it holds more than one key: send the party's "
                                                  "key alone");
    }
    gpgme_op_keylist_end(ctx);
    if ((why = openpgp_usable(k)) != NULL || k->subkeys == NULL || k->subkeys->fpr == NULL) {
        rc = xsirt_error_set(err, XSIRT_EINVAL, "%s", why != NULL ? why : "a key without fingerprint");
        gpgme_key_unref(k);
        return rc;
    }
    xsirt_strlcpy(fpr, k->subkeys->fpr, fprsz);
    gpgme_key_unref(k);
    if ((ge = gpgme_data_new(&out)) != 0 ||
        (ge = gpgme_op_export(ctx, fpr, GPGME_EXPORT_MODE_MINIMAL, out)) != 0) {
        gpgme_data_release(out);
        return xsirt_error_set(err, XSIRT_EIO, "OpenPGP export: %s", gpgme_strerror(ge));
    }
    return openpgp_take(minimal, out, err);
}

int xsirt_openpgp_check_key(char **minimal, char *fpr, size_t fprsz, const char *key, size_t len,
                            xsirt_error *err)
{
    const char *tmp = getenv("TMPDIR");
    char home[4096], conf[4200];
    gpgme_ctx_t ctx = NULL;
    FILE *f;
    int rc;

    *minimal = NULL;
    if (snprintf(home, sizeof home, "%s/xsirt-key-XXXXXX", tmp != NULL && tmp[0] == '/' ? tmp : "/tmp") >=
            (int)sizeof home || mkdtemp(home) == NULL)
        return xsirt_error_set(err, XSIRT_EIO, "a scratch GnuPG home: %s", strerror(errno));
    /* No agent: nothing here needs one (public keys only), and a secret
     * key in the upload then has nowhere to go. */
    snprintf(conf, sizeof conf, "%s/gpg.conf", home);
    if ((f = fopen(conf, "w")) != NULL) {
        int wrote = fputs("no-autostart\n", f);
        if (fclose(f) != 0 || wrote < 0)
            f = NULL;
    }
    if (f == NULL) {
        rc = xsirt_error_set(err, XSIRT_EIO, "%s: %s", conf, strerror(errno));
        goto done;
    }
    if ((rc = openpgp_ctx(&ctx, home, err)) == 0)
        rc = openpgp_check_in(minimal, fpr, fprsz, ctx, key, len, err);
    if (rc != 0)
        xsirt_error_prefix(err, "the OpenPGP key cannot be used: ");
done:
    gpgme_release(ctx);
    nftw(home, openpgp_rm, 8, FTW_DEPTH | FTW_PHYS);
    return rc;
}

int xsirt_openpgp_encrypt(char **asc, const char *home, const char *signer, const char *key,
                          const char *in, size_t len, xsirt_error *err)
{
    gpgme_ctx_t ctx;
    gpgme_data_t keydata = NULL, data = NULL, out = NULL;
    gpgme_import_result_t imp;
    gpgme_key_t rcpt[2] = {NULL, NULL};
    gpgme_error_t ge;
    char fpr[XSIRT_OPENPGP_FPR_MAX], *minimal = NULL;
    int rc;

    *asc = NULL;
    if ((rc = openpgp_ctx(&ctx, home, err)) != 0 || (rc = openpgp_signer(ctx, signer, err)) != 0 ||
        (rc = xsirt_openpgp_check_key(&minimal, fpr, sizeof fpr, key, strlen(key), err)) != 0) {
        gpgme_release(ctx);
        return rc;
    }
    /* The party's key, as checked apart, is imported into the home and
     * trusted for this message because the team stored it for that party. */
    if ((ge = gpgme_data_new_from_mem(&keydata, minimal, strlen(minimal), 0)) != 0 ||
        (ge = gpgme_op_import(ctx, keydata)) != 0 || (imp = gpgme_op_import_result(ctx)) == NULL ||
        imp->secret_read != 0 || (ge = gpgme_get_key(ctx, fpr, &rcpt[0], 0)) != 0) {
        gpgme_data_release(keydata);
        gpgme_release(ctx);
        free(minimal);
        return xsirt_error_set(err, XSIRT_EINVAL, "the recipient's OpenPGP key cannot be used: %s",
                               ge != 0 ? gpgme_strerror(ge) : "not imported");
    }
    gpgme_data_release(keydata);
    free(minimal);
    if ((ge = gpgme_data_new_from_mem(&data, in, len, 0)) != 0 || (ge = gpgme_data_new(&out)) != 0 ||
        (ge = gpgme_op_encrypt_sign(ctx, rcpt, GPGME_ENCRYPT_ALWAYS_TRUST, data, out)) != 0) {
        gpgme_data_release(data);
        gpgme_data_release(out);
        gpgme_key_unref(rcpt[0]);
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EINVAL, "OpenPGP encryption: %s", gpgme_strerror(ge));
    }
    gpgme_data_release(data);
    gpgme_key_unref(rcpt[0]);
    rc = openpgp_take(asc, out, err);
    gpgme_release(ctx);
    return rc;
}

int xsirt_openpgp_export(char **asc, const char *home, const char *fpr, xsirt_error *err)
{
    gpgme_ctx_t ctx;
    gpgme_data_t out = NULL;
    gpgme_error_t ge;
    int rc;

    *asc = NULL;
    if ((rc = openpgp_ctx(&ctx, home, err)) != 0)
        return rc;
    if ((ge = gpgme_data_new(&out)) != 0 || (ge = gpgme_op_export(ctx, fpr, 0, out)) != 0) {
        gpgme_data_release(out);
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EIO, "OpenPGP export: %s", gpgme_strerror(ge));
    }
    rc = openpgp_take(asc, out, err);
    gpgme_release(ctx);
    if (rc == 0 && strstr(*asc, "BEGIN PGP PUBLIC KEY BLOCK") == NULL) {
        free(*asc);
        *asc = NULL;
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "no OpenPGP key %.80s in %s", fpr, home);
    }
    return rc;
}

/* ---- the agent ---------------------------------------------------------------- */

extern char **environ;

/* Runs a GnuPG tool of the installation GPGME uses (the directory of its
 * gpgconf: it names the agent's socket for home the way gpg did when it
 * started the agent). *status gets its exit status, or -1 when it did not
 * exit; its first outsz - 1 bytes of output go to out when out is not
 * NULL (thrown away otherwise, as its errors are). */
static int openpgp_tool(int *status, const char *tool, char *const argv_tail[], char *out,
                        size_t outsz, xsirt_error *err)
{
    const char *gpgconf;
    char path[4096], *argv[8];
    posix_spawn_file_actions_t fa;
    int pipefd[2] = {-1, -1}, ws = 0, rc;
    size_t n = 0, got = 0;
    ssize_t r;
    pid_t pid;

    gpgme_check_version(NULL);
    gpgconf = gpgme_get_dirinfo("gpgconf-name");
    if (gpgconf != NULL && strrchr(gpgconf, '/') != NULL)
        snprintf(path, sizeof path, "%.*s/%s", (int)(strrchr(gpgconf, '/') - gpgconf), gpgconf, tool);
    else
        xsirt_strlcpy(path, tool, sizeof path);
    argv[n++] = path;
    for (size_t i = 0; argv_tail[i] != NULL && n < 7; i++)
        argv[n++] = argv_tail[i];
    argv[n] = NULL;
    /* close-on-exec: the child's stdout is its only write end, so the
     * read below sees the end of its output when it exits. */
    if (out != NULL && (pipe(pipefd) != 0 || fcntl(pipefd[0], F_SETFD, FD_CLOEXEC) != 0 ||
                        fcntl(pipefd[1], F_SETFD, FD_CLOEXEC) != 0)) {
        rc = errno;
        if (pipefd[0] >= 0) {
            close(pipefd[0]);
            close(pipefd[1]);
        }
        return xsirt_error_set(err, XSIRT_EIO, "pipe: %s", strerror(rc));
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (out != NULL)
        posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
    else
        posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (out != NULL) {
        close(pipefd[1]);
        while (rc == 0 && got + 1 < outsz &&
               ((r = read(pipefd[0], out + got, outsz - 1 - got)) > 0 || (r < 0 && errno == EINTR)))
            got += r > 0 ? (size_t)r : 0;
        out[got] = '\0';
        close(pipefd[0]);
    }
    if (rc != 0)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", argv[0], strerror(rc));
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return xsirt_error_set(err, XSIRT_EIO, "waiting for %s: %s", argv[0], strerror(errno));
    *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    return 0;
}

static bool openpgp_home_exists(const char *home)
{
    struct stat st;

    return home != NULL && stat(home, &st) == 0 && S_ISDIR(st.st_mode);
}

int xsirt_openpgp_stop_agent(const char *home, xsirt_error *err)
{
    char *argv[] = {(char *)"--homedir", (char *)home, (char *)"--kill", (char *)"gpg-agent", NULL};
    int status, rc;

    if (!openpgp_home_exists(home))
        return 0;   /* no home, no agent */
    if ((rc = openpgp_tool(&status, "gpgconf", argv, NULL, 0, err)) != 0)
        return rc;
    if (status != 0)
        return xsirt_error_set(err, XSIRT_EIO, "gpgconf --homedir %s --kill gpg-agent failed", home);
    return 0;
}

/* gpg-connect-agent --no-autostart exits 0 whether an agent answers or
 * not; connecting to the socket gpgconf names is the test that holds. */
bool xsirt_openpgp_agent_running(const char *home)
{
    char *argv[] = {(char *)"--homedir", (char *)home, (char *)"--list-dirs", (char *)"agent-socket", NULL};
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int status = -1, fd;
    bool answers;

    if (!openpgp_home_exists(home) ||
        openpgp_tool(&status, "gpgconf", argv, sa.sun_path, sizeof sa.sun_path, NULL) != 0 || status != 0)
        return false;
    sa.sun_path[strcspn(sa.sun_path, "\n")] = '\0';
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return false;
    answers = connect(fd, (const struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    return answers;
}

void xsirt_openpgp_result_free(xsirt_openpgp_result *r)
{
    free(r->plain);
    memset(r, 0, sizeof *r);
}
