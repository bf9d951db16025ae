import type { Page } from "playwright-core";
import { PASSWORD } from "../helpers/users.ts";
import { signInWithForm, type WebTest } from "./harness.ts";

/** A node on the editor's or the execution viewer's graph, by node id. */
export const graphNode = (page: Page, id: string) => page.getByTestId(`node-${id}`);

/** A fresh browser profile signed in as `email` (test password), on the app's first page. */
export async function signIn(web: WebTest, email: string) {
  const opened = await web.newPage();
  await opened.page.goto("/sign-in");
  await signInWithForm(opened.page, email, PASSWORD);
  await opened.page.getByRole("navigation", { name: "Main" }).waitFor();
  return opened;
}
